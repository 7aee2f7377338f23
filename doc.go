// Package placematch holds the domain of the Placematch service: the providers that
// can offer a child a home (foster carers, supported-accommodation units and New Roads
// hubs), the children who need one, the placements that join them, and the errors
// every other package speaks in.
//
// It imports no other package of this module and nothing that knows about HTTP or SQL,
// so the rules written here (ages, capacity, vacancy) are the same wherever they are
// used.
package placematch
