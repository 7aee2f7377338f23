package matching

import (
	"encoding/json"
	"strings"
	"sync"

	"placematch/geo"
)

// areaCache keeps the avoid-areas of recent searches parsed: a group is often
// searched again (the officer pages, books, asks why not), and parsing GeoJSON
// costs more than judging a cell of the index. It is keyed by the raw geometries,
// so a changed record is a new key, and holds at most areaCacheMax entries: when
// full it is emptied. geo.Areas is read-only once built, so searches share it.
var areaCache struct {
	sync.Mutex
	m map[string]parsedAreas
}

const areaCacheMax = 512

type parsedAreas struct {
	a   geo.Areas
	err error
}

// parseAreas is geo.ParseAreas through areaCache.
func parseAreas(raws []json.RawMessage) (geo.Areas, error) {
	var k strings.Builder
	for _, r := range raws {
		k.Write(r)
		k.WriteByte(0) // never inside JSON text
	}
	key := k.String()
	areaCache.Lock()
	e, ok := areaCache.m[key]
	areaCache.Unlock()
	if ok {
		return e.a, e.err
	}
	a, err := geo.ParseAreas(raws)
	areaCache.Lock()
	if areaCache.m == nil || len(areaCache.m) >= areaCacheMax {
		areaCache.m = make(map[string]parsedAreas)
	}
	areaCache.m[key] = parsedAreas{a, err}
	areaCache.Unlock()
	return a, err
}
