//! SSRF guard: which addresses a fetch may connect to, and a DNS resolver
//! that only hands reqwest addresses that pass.
//!
//! reqwest connects to exactly the addresses the resolver returns, so there
//! is no window between the check and the connect (no DNS rebinding).
//! Literal-IP URLs never reach a resolver and are checked by
//! [`check_url_host`] before every hop.
use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::TokioResolver;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use super::{FetchError, FetchErrorKind};

/// True for addresses a crawler must never reach: loopback, private,
/// link-local (cloud metadata at 169.254.169.254), CGNAT, multicast,
/// unspecified, broadcast, reserved and documentation ranges, for IPv4 and
/// IPv6, including IPv4 embedded in IPv6.
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0 // "this network", including 0.0.0.0
        || ip.is_loopback() // 127/8
        || ip.is_private() // 10/8, 172.16/12, 192.168/16
        || ip.is_link_local() // 169.254/16
        || (a == 100 && (b & 0xc0) == 64) // CGNAT 100.64/10
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || (a == 198 && (b & 0xfe) == 18) // benchmarking 198.18/15
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || ip.is_multicast() // 224/4
        || a >= 240 // reserved 240/4 and broadcast
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| Ipv4Addr::from(((hi as u32) << 16) | lo as u32);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_forbidden_v4(v4); // ::ffff:a.b.c.d
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_forbidden_v4(embedded_v4(s[6], s[7])); // NAT64 64:ff9b::/96
    }
    if s[0] == 0x2002 {
        return is_forbidden_v4(embedded_v4(s[1], s[2])); // 6to4 2002::/16
    }
    s[0..6] == [0, 0, 0, 0, 0, 0] // ::/96: unspecified, loopback, IPv4-compatible
        || (s[0] == 0x64 && s[1] == 0xff9b && s[2] == 1) // NAT64 local-use 64:ff9b:1::/48
        || (s[0] == 0x100 && s[1..4] == [0, 0, 0]) // discard-only 100::/64
        || (s[0] == 0x2001 && s[1] == 0) // Teredo: hides an IPv4 address
        || (s[0] == 0x2001 && s[1] == 0xdb8) // documentation
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated) fec0::/10
        || ip.is_multicast() // ff00::/8
}

/// Policy shared by the resolver and the literal-IP check.
#[derive(Debug, Clone)]
pub struct AddressPolicy {
    /// False when `fetch.allow_private_networks` turned the guard off.
    enabled: bool,
    /// Hosts exempted by `fetch.ssrf_exempt_hosts`, lowercase.
    exempt_hosts: Arc<HashSet<String>>,
}

impl AddressPolicy {
    pub fn new<S: AsRef<str>>(enabled: bool, exempt_hosts: &[S]) -> Self {
        let exempt_hosts = exempt_hosts
            .iter()
            .map(|h| h.as_ref().trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect();
        Self {
            enabled,
            exempt_hosts: Arc::new(exempt_hosts),
        }
    }

    fn checks(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.enabled && !self.exempt_hosts.contains(host.trim_matches(['[', ']']))
    }

    /// Checks a URL whose host is a literal IP; names are left to the resolver.
    pub fn check_url_host(&self, url: &Url) -> Result<(), FetchError> {
        let ip = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        if self.checks(url.host_str().unwrap_or_default()) && is_forbidden_ip(ip) {
            return Err(refused(&ip.to_string()));
        }
        Ok(())
    }
}

fn refused(what: &str) -> FetchError {
    FetchError::new(
        FetchErrorKind::PrivateAddress,
        format!("{what} is a private or reserved address (SSRF guard)"),
    )
}

/// A reqwest DNS resolver on hickory that drops forbidden addresses.
///
/// Errors are [`FetchError`]s (kinds `dns` and `private_address`); they come
/// back inside reqwest's error chain and are recovered there.
#[derive(Clone)]
pub struct GuardedResolver {
    resolver: Arc<TokioResolver>,
    policy: AddressPolicy,
}

impl GuardedResolver {
    pub fn new(policy: AddressPolicy) -> Self {
        // Without a readable /etc/resolv.conf, fall back to hickory's defaults.
        let builder = TokioResolver::builder_tokio().unwrap_or_else(|_| {
            TokioResolver::builder_with_config(
                Default::default(),
                TokioConnectionProvider::default(),
            )
        });
        Self {
            resolver: Arc::new(builder.build()),
            policy,
        }
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let resolver = Arc::clone(&self.resolver);
        let policy = self.policy.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let lookup = resolver.lookup_ip(host.as_str()).await.map_err(|e| {
                FetchError::new(FetchErrorKind::Dns, format!("DNS lookup failed: {e}"))
            })?;
            let found: Vec<IpAddr> = lookup.iter().collect();
            let checks = policy.checks(&host);
            let allowed: Vec<SocketAddr> = found
                .iter()
                .filter(|ip| !checks || !is_forbidden_ip(**ip))
                .map(|ip| SocketAddr::new(*ip, 0))
                .collect();
            if allowed.is_empty() {
                return Err(if found.is_empty() {
                    FetchError::new(FetchErrorKind::Dns, "DNS lookup returned no address")
                } else {
                    refused(&format!("every address of {host}"))
                }
                .into());
            }
            Ok(Box::new(allowed.into_iter()) as Addrs)
        })
    }
}
