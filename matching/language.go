package matching

import (
	"hash/maphash"
	"strings"
	"sync"
)

// Languages become bits so that "does the carer speak one of the child's languages"
// is one AND in the first pass, with no pointer to chase. The first exactLangBits
// languages seen get a bit of their own: a shared exact bit proves a shared
// language. Languages after those (a long tail the registry must not grow without
// bound for) share the remaining bits by hash, and a shared hashed bit is confirmed
// by comparing the strings. Which language gets which bit depends on the order
// providers were prepared in, but never the outcome, so results stay deterministic.
const exactLangBits = 56

// exactLangs masks the bits that each stand for one language.
const exactLangs = uint64(1)<<exactLangBits - 1

var langRegistry = struct {
	sync.RWMutex
	bits map[string]uint64
}{bits: map[string]uint64{}}

var langSeed = maphash.MakeSeed()

// langBit returns the bit of a language code (compared trimmed and in lower case).
func langBit(code string) uint64 {
	code = normLang(code)
	langRegistry.RLock()
	b, ok := langRegistry.bits[code]
	langRegistry.RUnlock()
	if ok {
		return b
	}
	langRegistry.Lock()
	defer langRegistry.Unlock()
	if b, ok := langRegistry.bits[code]; ok {
		return b
	}
	if n := len(langRegistry.bits); n < exactLangBits {
		b = 1 << n
		langRegistry.bits[code] = b
		return b
	}
	return 1 << (exactLangBits + maphash.String(langSeed, code)%(64-exactLangBits))
}

func normLang(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
