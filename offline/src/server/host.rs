//! The `Host` a listener answers: its own loopback address by the names a browser or a tool on
//! this machine uses for it (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`, any case; the
//! port may be left out only when it is 80). Anything else is refused with 421 before the request
//! reaches the stack: a page of `http://attacker.example:PORT` whose name is re-pointed at
//! 127.0.0.1 (DNS rebinding) is then same-origin with the listener, but its requests carry its own
//! name and get nothing. `--allow-host ADDR` (for `sam local`'s containers, which reach this
//! machine at the Docker bridge's address) admits that one address too, at the same port: an IP
//! address, never a name, so no page can make it its own through DNS.

use std::net::{IpAddr, SocketAddr};

use serde_json::json;

use crate::message::Response;

/// Host names a listener on 127.0.0.1 answers to.
const NAMES: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// Whether `host` (the `Host` header, or the request target's authority) names the listener on
/// `port`; a missing one does not.
pub(crate) fn allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    let (name, given_port) = match host.rsplit_once(':') {
        // `[::1]` alone: the colon is inside the brackets.
        Some((name, p)) if !p.ends_with(']') => (name, p),
        _ => (host, "80"),
    };
    digits(given_port)
        && given_port.parse() == Ok(port)
        && NAMES.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// The hosts a listener of the stack answers: its loopback names, and the address given with
/// `--allow-host`, if any, all at the listener's port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hosts {
    pub(crate) port: u16,
    pub(crate) also: Option<IpAddr>,
}

impl Hosts {
    /// Whether `host` names the listener: a loopback name, or exactly `also` at `port`
    /// (`172.17.0.1:3000`, `[fd00::1]:3000`; the port left out only when it is 80).
    pub(crate) fn allow(&self, host: Option<&str>) -> bool {
        allowed(host, self.port) || self.also.is_some_and(|ip| names(host, ip, self.port))
    }
}

fn names(host: Option<&str>, ip: IpAddr, port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    host.parse::<SocketAddr>() == Ok(SocketAddr::new(ip, port))
        || (port == 80 && host.trim_start_matches('[').trim_end_matches(']').parse() == Ok(ip))
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The answer to a request for another host: 421 Misdirected Request (the name is not repeated).
pub(crate) fn misdirected(port: u16) -> Response {
    Response::json(
        421,
        &json!({"message": format!(
            "Misdirected Request: this listener answers only Host 127.0.0.1:{port}, localhost:{port} or [::1]:{port}"
        )}),
        "host_refused",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_loopback_names_of_the_port_are_answered() {
        for host in [
            "127.0.0.1:3000",
            "localhost:3000",
            "LOCALHOST:3000",
            "[::1]:3000",
        ] {
            assert!(allowed(Some(host), 3000), "{host}");
        }
        for host in [
            "evil.example:3000",
            "localhost.evil.example:3000",
            "127.0.0.1:3001",
            "127.0.0.1",
            "localhost",
            "[::1]",
            "127.0.0.1:",
            "127.0.0.1:3000:3000",
            "localhost:+3000",
            "127.0.0.2:3000",
            "",
        ] {
            assert!(!allowed(Some(host), 3000), "{host}");
        }
        assert!(!allowed(None, 3000));
        assert!(allowed(Some("localhost"), 80) && allowed(Some("[::1]"), 80));
        assert_eq!(misdirected(3000).status, 421);
    }

    #[test]
    fn by_default_a_bridge_address_is_refused_and_allow_host_admits_exactly_it() {
        let bridge: IpAddr = "172.17.0.1".parse().unwrap();
        let default = Hosts {
            port: 3000,
            also: None,
        };
        let allowed_too = Hosts {
            port: 3000,
            also: Some(bridge),
        };
        for host in ["172.17.0.1:3000", "host.docker.internal:3000"] {
            assert!(!default.allow(Some(host)), "{host}");
        }
        for host in ["172.17.0.1:3000", "127.0.0.1:3000", "localhost:3000"] {
            assert!(allowed_too.allow(Some(host)), "{host}");
        }
        for host in [
            "172.17.0.1:3001",
            "172.17.0.2:3000",
            "172.17.0.1",
            "172.017.0.1:3000",
            "host.docker.internal:3000",
            "evil.example:3000",
            "172.17.0.1:3000.evil.example",
            "[::ffff:172.17.0.1]:3000",
            "",
        ] {
            assert!(!allowed_too.allow(Some(host)), "{host}");
        }
        assert!(!allowed_too.allow(None));
        let v6 = Hosts {
            port: 80,
            also: Some("fd00::1".parse().unwrap()),
        };
        for host in ["[fd00::1]:80", "[fd00::1]", "[FD00::1]:80"] {
            assert!(v6.allow(Some(host)), "{host}");
        }
        assert!(!v6.allow(Some("[fd00::2]:80")));
    }
}
