//! The parameters of a form request (`application/x-www-form-urlencoded`), as the token and
//! revoke endpoints read them: from the query string then the body, each name at most once.

use std::collections::HashSet;

use super::error::OAuthError;

/// The form's parameters, from the query string then the body; each at most once.
#[derive(Debug)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// The parameters of a form request (`application/x-www-form-urlencoded`).
    pub(crate) fn read(
        content_type: Option<&str>,
        query: &str,
        body: &[u8],
    ) -> Result<Self, OAuthError> {
        let form_type = content_type
            .and_then(|t| t.split(';').next())
            .is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form_type {
            return Err(OAuthError::InvalidRequest);
        }
        let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .chain(form_urlencoded::parse(body).into_owned())
            .collect();
        if repeats_a_name(&params) {
            return Err(OAuthError::InvalidRequest);
        }
        Ok(Self(params))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Whether a name comes twice in `params` (in time linear in their number, which the caller
/// chooses: a 10 MiB form holds millions).
pub(crate) fn repeats_a_name(params: &[(String, String)]) -> bool {
    let mut seen = HashSet::with_capacity(params.len());
    !params.iter().all(|(name, _)| seen.insert(name.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_are_found_among_many() {
        let pair = |n: &str| (n.to_owned(), String::new());
        assert!(!repeats_a_name(&[pair("a"), pair("b")]));
        assert!(repeats_a_name(&[pair("a"), pair("b"), pair("a")]));
        // 200,000 names, the last one a repeat of the first seen. (No time is asserted: speed is
        // for benchmarks; a pairwise comparison, 2·10^10 steps, would simply not finish.)
        let mut many: Vec<(String, String)> = (0..200_000).map(|i| pair(&i.to_string())).collect();
        assert!(!repeats_a_name(&many));
        many.push(pair("0"));
        assert!(repeats_a_name(&many));
    }
}
