//! Log lines written while the stack starts (its own key fetch, say) wait until the banner is
//! printed, so the banner comes first; every later line goes straight to stderr.

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::fmt::MakeWriter;

/// A `MakeWriter` for stderr that holds what is written until [`HeldStderr::release`].
#[derive(Debug, Clone)]
pub struct HeldStderr {
    /// `Some` while held: the bytes written so far.
    held: Arc<Mutex<Option<Vec<u8>>>>,
}

impl HeldStderr {
    /// A writer that holds everything until released.
    pub fn new() -> Self {
        Self {
            held: Arc::new(Mutex::new(Some(Vec::new()))),
        }
    }

    /// Writes what was held to stderr; from now on, lines go straight there.
    pub fn release(&self) {
        let held = self
            .held
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(bytes) = held {
            let _ = io::stderr().write_all(&bytes);
        }
    }
}

impl Default for HeldStderr {
    fn default() -> Self {
        Self::new()
    }
}

impl Write for HeldStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        match held.as_mut() {
            Some(bytes) => {
                bytes.extend_from_slice(buf);
                Ok(buf.len())
            }
            None => io::stderr().write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

impl<'a> MakeWriter<'a> for HeldStderr {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_until_released_then_passes_through() {
        let writer = HeldStderr::new();
        let mut w = writer.make_writer();
        assert_eq!(w.write(b"start-up line\n").unwrap(), 14);
        let held = writer.held.lock().unwrap().clone();
        assert_eq!(held.as_deref(), Some(&b"start-up line\n"[..]));
        writer.release();
        assert!(writer.held.lock().unwrap().is_none(), "released once");
        assert_eq!(w.write(b"later\n").unwrap(), 6, "written through");
        writer.release();
    }
}
