package jobs

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrRefusedAddress is the one answer for a feed address the policy refuses. It is
// the same whatever is (or is not) listening there, so that feed run errors cannot
// be used to scan the internal network.
var ErrRefusedAddress = errors.New("the feed's address is not one feeds may use (internal, loopback, link-local, private or multicast)")

// refusedNets are the networks a feed may not reach unless an operator allows them:
// the service's own host, the cloud metadata service, the internal networks.
var refusedNets = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),      // "this network", 0.0.0.0 reaches the host itself
	netip.MustParsePrefix("10.0.0.0/8"),     // RFC 1918
	netip.MustParsePrefix("100.64.0.0/10"),  // carrier-grade NAT, often internal
	netip.MustParsePrefix("127.0.0.0/8"),    // loopback
	netip.MustParsePrefix("169.254.0.0/16"), // link-local, cloud metadata
	netip.MustParsePrefix("172.16.0.0/12"),  // RFC 1918
	netip.MustParsePrefix("192.0.0.0/24"),   // IETF protocol assignments
	netip.MustParsePrefix("192.168.0.0/16"), // RFC 1918
	netip.MustParsePrefix("198.18.0.0/15"),  // benchmarking
	netip.MustParsePrefix("224.0.0.0/4"),    // multicast
	netip.MustParsePrefix("240.0.0.0/4"),    // reserved, broadcast
	netip.MustParsePrefix("::/128"),         // unspecified
	netip.MustParsePrefix("::1/128"),        // loopback
	netip.MustParsePrefix("::/96"),          // IPv4-compatible (deprecated) forms
	netip.MustParsePrefix("fc00::/7"),       // unique local
	netip.MustParsePrefix("fe80::/10"),      // link-local
	netip.MustParsePrefix("fec0::/10"),      // site-local (deprecated)
	netip.MustParsePrefix("ff00::/8"),       // multicast
	netip.MustParsePrefix("2001:db8::/32"),  // documentation
	netip.MustParsePrefix("100::/64"),       // discard
}

// NetPolicy decides which addresses provider feeds may be fetched from: public
// unicast addresses, and the networks an operator lists in Allowed
// (PLACEMATCH_FEED_ALLOWED_NETWORKS). It is applied twice: to the URL when a feed
// is registered, and to every address the importer connects to (after DNS), so a
// name that later resolves to an internal address is still refused.
type NetPolicy struct {
	Allowed []netip.Prefix
}

// ParseNetworks reads a comma-separated CIDR list ("10.1.2.0/24, 127.0.0.1/32").
func ParseNetworks(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR network such as 10.1.2.0/24", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// AllowsAddr reports whether a feed may connect to a. IPv4-mapped IPv6 addresses
// (::ffff:169.254.169.254) are judged as the IPv4 address they carry, and a zone
// (fe80::1%eth0) does not change the judgement.
func (p NetPolicy) AllowsAddr(a netip.Addr) bool {
	a = a.WithZone("").Unmap()
	for _, n := range p.Allowed {
		if n.Contains(a) {
			return true
		}
	}
	if !a.IsGlobalUnicast() || a.IsPrivate() {
		return false
	}
	for _, n := range refusedNets {
		if n.Contains(a) {
			return false
		}
	}
	// NAT64 and 6to4 addresses carry an IPv4 address that a gateway may reach.
	if v4, ok := embeddedIPv4(a); ok {
		return p.AllowsAddr(v4)
	}
	return true
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// embeddedIPv4 returns the IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16)
// address stands for.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	b := a.As16()
	switch {
	case nat64.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}

// CheckURL says why a feed URL cannot be registered, or returns nil. A host given as
// an address literal is judged by AllowsAddr; "localhost" names stand for the
// loopback addresses; a host that is a number in another notation (0x7f000001,
// 2130706433, 0177.0.0.1), which some resolvers read as an IPv4 address, is refused
// outright. Other names are not resolved here: the connection-time check judges the
// addresses they resolve to when the feed is fetched.
func (p NetPolicy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("must be an absolute http or https URL")
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if a, err := netip.ParseAddr(host); err == nil {
		if !p.AllowsAddr(a) {
			return errors.New("must not name a loopback, link-local, private, unspecified or multicast address")
		}
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		if !p.AllowsAddr(netip.MustParseAddr("127.0.0.1")) && !p.AllowsAddr(netip.IPv6Loopback()) {
			return errors.New("must not name the service's own host (localhost)")
		}
		return nil
	}
	if numericHost(host) {
		return errors.New("must name its host by DNS name or by a dotted-decimal IPv4 or an IPv6 address")
	}
	return nil
}

// numericHost reports whether host's last label is a number (decimal, or hex with
// 0x), which URL parsers and resolvers may read as an IPv4 address in a notation
// net/netip does not accept. No top-level domain is numeric, so no real name is lost.
func numericHost(host string) bool {
	labels := strings.Split(host, ".")
	last := labels[len(labels)-1]
	if last == "" {
		return false
	}
	if h, ok := strings.CutPrefix(last, "0x"); ok {
		return strings.Trim(h, "0123456789abcdef") == ""
	}
	return strings.Trim(last, "0123456789") == ""
}

// control is the dialer's Control hook: it runs after DNS, on the very address
// about to be connected to, so neither a name nor a DNS rebinding can bypass it.
func (p NetPolicy) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !p.AllowsAddr(ap.Addr()) {
		return ErrRefusedAddress
	}
	return nil
}

// client returns an HTTP client that connects only where the policy allows, never
// through a proxy (a proxy's address would be checked instead of the feed's) and
// never following redirects (see noRedirects).
func (p NetPolicy) client() *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: p.control}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          10,
		IdleConnTimeout:       30 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: transport, CheckRedirect: noRedirects.CheckRedirect}
}

// refusedDial reports whether err is a connection the policy refused.
func refusedDial(err error) bool { return errors.Is(err, ErrRefusedAddress) }
