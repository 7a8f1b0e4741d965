//! User pools: id and ARN syntax, region and partition, the issuers a pool signs as, and its JWKS URL.

/// Why a pool id or ARN is unusable. Names no setting: the configuration adds that.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
    /// Not a user pool id (`REGION_ID`, such as `us-east-1_AbCdEfGhI`).
    #[error("`{id}` is not a user pool id: {why}")]
    Id {
        /// The id as given.
        id: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// Not a user pool ARN, or its partition or region does not match its pool id.
    #[error("`{arn}` is not a user pool ARN: {why}")]
    Arn {
        /// The ARN as given.
        arn: String,
        /// What is wrong with it.
        why: String,
    },
}

/// A Cognito user pool the authorizer trusts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPool {
    id: String,
    region: String,
    partition: &'static str,
    dns_suffix: &'static str,
}

/// Partition and DNS suffix for the region prefixes AWS uses. Longest prefix first.
const PARTITIONS: &[(&str, &str, &str)] = &[
    ("us-isob-", "aws-iso-b", "sc2s.sgov.gov"),
    ("us-isof-", "aws-iso-f", "csp.hci.ic.gov"),
    ("eu-isoe-", "aws-iso-e", "cloud.adc-e.uk"),
    ("us-iso-", "aws-iso", "c2s.ic.gov"),
    ("us-gov-", "aws-us-gov", "amazonaws.com"),
    ("eusc-", "aws-eusc", "amazonaws.eu"),
    ("cn-", "aws-cn", "amazonaws.com.cn"),
];

impl UserPool {
    /// Parses a pool id such as `us-east-1_AbCdEfGhI`.
    ///
    /// The region part must look like an AWS region (`xx-name-N`, any number of name parts, so
    /// `us-gov-west-1` and `eusc-de-east-1` are accepted); the part after `_` must be 1 to 55
    /// letters and digits.
    pub fn from_id(id: &str) -> Result<Self, PoolError> {
        let bad = |why: &'static str| PoolError::Id {
            id: id.to_owned(),
            why,
        };
        let (region, suffix) = id
            .split_once('_')
            .ok_or_else(|| bad("expected REGION_ID, e.g. us-east-1_AbCdEfGhI"))?;
        if !is_region(region) {
            return Err(bad("the part before `_` is not a region"));
        }
        if suffix.is_empty()
            || suffix.len() > 55
            || !suffix.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(bad("the part after `_` must be 1 to 55 letters and digits"));
        }
        let (partition, dns_suffix) = partition_of(region);
        Ok(Self {
            id: id.to_owned(),
            region: region.to_owned(),
            partition,
            dns_suffix,
        })
    }

    /// Parses `arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID`, checking that the
    /// partition and region agree with the pool id.
    pub fn from_arn(arn: &str) -> Result<Self, PoolError> {
        let bad = |why: String| PoolError::Arn {
            arn: arn.to_owned(),
            why,
        };
        let parts: Vec<&str> = arn.splitn(6, ':').collect();
        let [prefix, partition, service, region, account, resource] = parts[..] else {
            return Err(bad(
                "expected arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID".into(),
            ));
        };
        if prefix != "arn" || service != "cognito-idp" {
            return Err(bad("expected arn:PARTITION:cognito-idp:...".into()));
        }
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("the account id must be 12 digits".into()));
        }
        let id = resource
            .strip_prefix("userpool/")
            .ok_or_else(|| bad("the resource must be userpool/POOL_ID".into()))?;
        let pool = Self::from_id(id).map_err(|e| bad(e.to_string()))?;
        if pool.region != region {
            return Err(bad("the region does not match the pool id".into()));
        }
        if pool.partition != partition {
            return Err(bad(format!(
                "partition `{partition}` does not match region `{region}`"
            )));
        }
        Ok(pool)
    }

    /// The pool id (`us-east-1_AbCdEfGhI`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The region, from the pool id (`us-east-1`).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// `aws`, `aws-cn`, `aws-us-gov`, ...
    pub fn partition(&self) -> &'static str {
        self.partition
    }

    /// The two issuer forms Cognito signs with: `https://cognito-idp.{region}.{suffix}/{id}` and
    /// `https://issuer-cognito-idp.{region}.{suffix}/{id}`.
    pub fn issuers(&self) -> [String; 2] {
        [
            format!(
                "https://cognito-idp.{}.{}/{}",
                self.region, self.dns_suffix, self.id
            ),
            format!(
                "https://issuer-cognito-idp.{}.{}/{}",
                self.region, self.dns_suffix, self.id
            ),
        ]
    }

    /// The JWKS URL: `{endpoint}/{id}/.well-known/jwks.json`, where `endpoint` is the override
    /// when given (local issuers, tests) and `https://cognito-idp.{region}.{suffix}` otherwise.
    pub fn jwks_url(&self, endpoint_override: Option<&str>) -> String {
        match endpoint_override {
            Some(base) => format!(
                "{}/{}/.well-known/jwks.json",
                base.trim_end_matches('/'),
                self.id
            ),
            None => format!(
                "https://cognito-idp.{}.{}/{}/.well-known/jwks.json",
                self.region, self.dns_suffix, self.id
            ),
        }
    }
}

/// `xx-name-N`: lower-case letters in two or more dash-separated words, then a number.
fn is_region(region: &str) -> bool {
    let mut parts = region.split('-');
    let Some(number) = parts.next_back() else {
        return false;
    };
    let words: Vec<&str> = parts.collect();
    words.len() >= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        && !number.is_empty()
        && number.len() <= 3
        && number.bytes().all(|b| b.is_ascii_digit())
}

fn partition_of(region: &str) -> (&'static str, &'static str) {
    PARTITIONS
        .iter()
        .find(|(prefix, _, _)| region.starts_with(prefix))
        .map_or(("aws", "amazonaws.com"), |&(_, partition, suffix)| {
            (partition, suffix)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_region_prefixes() {
        for (id, partition, issuer) in [
            (
                "us-east-1_AbCdEfGhI",
                "aws",
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
            ),
            (
                "us-gov-west-1_abc123XYZ",
                "aws-us-gov",
                "https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_abc123XYZ",
            ),
            (
                "cn-north-1_Abc",
                "aws-cn",
                "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Abc",
            ),
            (
                "eusc-de-east-1_Abc",
                "aws-eusc",
                "https://cognito-idp.eusc-de-east-1.amazonaws.eu/eusc-de-east-1_Abc",
            ),
            (
                "ap-southeast-5_Abc",
                "aws",
                "https://cognito-idp.ap-southeast-5.amazonaws.com/ap-southeast-5_Abc",
            ),
        ] {
            let pool = UserPool::from_id(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(pool.partition(), partition);
            assert_eq!(pool.issuers()[0], issuer);
            assert_eq!(
                pool.issuers()[1],
                issuer.replace("://cognito-idp.", "://issuer-cognito-idp.")
            );
        }
    }

    #[test]
    fn rejects_malformed_ids_naming_no_setting() {
        for id in [
            "",
            "us-east-1",
            "_abc",
            "us-east-1_",
            "US-EAST-1_abc",
            "useast1_abc",
            "us-east-1_ab-c",
            "us-east-x_abc",
            "us-east-1_ab/c",
        ] {
            let err = UserPool::from_id(id).expect_err(id);
            assert!(matches!(err, PoolError::Id { .. }), "{err}");
            assert!(err.to_string().contains("is not a user pool id"), "{err}");
            assert!(!err.to_string().contains("USER_POOL"), "{err}");
        }
    }

    #[test]
    fn arn_gives_partition_region_and_id() {
        let pool = UserPool::from_arn(
            "arn:aws-cn:cognito-idp:cn-northwest-1:123456789012:userpool/cn-northwest-1_Abc",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pool.id(), "cn-northwest-1_Abc");
        assert_eq!(pool.region(), "cn-northwest-1");
        assert_eq!(pool.partition(), "aws-cn");
        for arn in [
            "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-west-2_Abc",
            "arn:aws:cognito-idp:cn-north-1:123456789012:userpool/cn-north-1_Abc",
            "arn:aws:cognito-idp:us-east-1:1234:userpool/us-east-1_Abc",
            "arn:aws:s3:us-east-1:123456789012:userpool/us-east-1_Abc",
            "arn:aws:cognito-idp:us-east-1:123456789012:identitypool/us-east-1_Abc",
            "us-east-1_Abc",
        ] {
            assert!(UserPool::from_arn(arn).is_err(), "{arn}");
        }
    }

    #[test]
    fn jwks_url_honours_the_endpoint_override() {
        let pool = UserPool::from_id("us-east-1_Abc").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            pool.jwks_url(None),
            "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc/.well-known/jwks.json"
        );
        assert_eq!(
            pool.jwks_url(Some("http://127.0.0.1:9229/")),
            "http://127.0.0.1:9229/us-east-1_Abc/.well-known/jwks.json"
        );
    }
}
