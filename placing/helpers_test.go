package placing_test

import "placematch/matching"

func optsAll() matching.Options {
	return matching.Options{Limit: matching.DefaultLimit, IncludeExcluded: true}
}
