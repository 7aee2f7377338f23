package assign

import (
	"math"
	"slices"
)

// search is branch and bound over one independent part of a problem (the groups
// gs). Values are in the integer objective M·children + Σ score.
type search struct {
	st     *state
	gs     []int
	lim    Limits
	nodes  *int // shared by every part, for Limits.MaxNodes
	solved int  // nodes solved in this part

	best   int64 // value of bestOf
	bestOf []int // option per group of gs, or -1
	cur    []int // option fixed per group of gs on the current branch, or -1
	fixed  int64 // value of cur

	bound   int64 // after run: no allocation of the part is worth more
	open    int64 // the best bound of the nodes left unexplored when stopped
	stopped bool

	scale int64 // lcm of the group sizes: per-child costs of a group are whole
	order []int // indexes into gs in queue order
	// scratch for relax, indexed by provider and pool
	provNode []int32
	poolNode []int32
}

// relaxed is the flow relaxation of a node: groups may split across providers
// and a provider taking one group may take parts of several.
type relaxed struct {
	value int64     // floor of the flow's worth: a bound on the node's free groups
	arc   [][]int32 // per free group, per option: the arc of the flow, or -1
	net   *network
}

func (r *relaxed) flow(i, oi int) int64 {
	if a := r.arc[i][oi]; a >= 0 {
		return r.net.flowOn(int(a))
	}
	return 0
}

func (b *search) run() {
	b.scale = 1
	for _, g := range b.gs {
		s := int64(b.st.p.Groups[g].Size)
		b.scale = b.scale / gcd(b.scale, s) * s
	}
	pos := make([]int, len(b.st.p.Groups))
	for i, g := range b.st.queue() {
		pos[g] = i
	}
	b.order = make([]int, len(b.gs))
	b.cur = make([]int, len(b.gs))
	free := make([]int, len(b.gs))
	for i := range b.gs {
		b.order[i], b.cur[i], free[i] = i, -1, i
	}
	slices.SortFunc(b.order, func(x, y int) int { return pos[b.gs[x]] - pos[b.gs[y]] })
	b.provNode = make([]int32, len(b.st.p.Providers))
	b.poolNode = make([]int32, len(b.st.p.Pools))
	for i := range b.provNode {
		b.provNode[i] = -1
	}
	for i := range b.poolNode {
		b.poolNode[i] = -1
	}
	b.open = -1
	b.node(free, math.MaxInt64)
	b.bound = b.best
	if b.stopped {
		b.bound = max(b.best, b.open)
	}
}

func (b *search) stop() bool {
	if b.solved == 0 {
		return false // the root is always solved, so that there is a bound
	}
	return b.lim.MaxNodes > 0 && *b.nodes >= b.lim.MaxNodes || b.lim.Stop != nil && b.lim.Stop()
}

// node solves the node where the groups free are still to be decided (the others
// are fixed in cur), parentBound being the bound of the node it came from.
func (b *search) node(free []int, parentBound int64) {
	if b.stopped || b.stop() {
		b.stopped = true
		b.open = max(b.open, parentBound)
		return
	}
	*b.nodes++
	b.solved++
	rx := b.relax(free)
	bound := b.fixed + rx.value
	if bound <= b.best {
		return
	}
	if b.solved == 1 {
		b.dive(free, rx)
	} else {
		b.round(free, rx)
	}
	if bound <= b.best {
		return
	}
	i, oi, ok := b.branch(free, rx)
	if !ok { // the relaxation's flow is an allocation: the node is solved
		b.best = bound
		copy(b.bestOf, b.cur)
		for _, j := range free {
			b.bestOf[j] = b.full(j, rx)
		}
		return
	}
	g := b.gs[i]
	b.st.place(g, oi)
	b.cur[i], b.fixed = oi, b.fixed+b.st.worth(g, oi)
	b.node(slices.DeleteFunc(slices.Clone(free), func(j int) bool { return j == i }), bound)
	b.st.unplace(g, oi)
	b.cur[i], b.fixed = -1, b.fixed-b.st.worth(g, oi)
	b.st.forbid[g][oi] = true
	b.node(free, bound)
	b.st.forbid[g][oi] = false
}

// full returns the option that takes the whole of group i in the relaxation, or -1.
func (b *search) full(i int, rx *relaxed) int {
	size := int64(b.st.p.Groups[b.gs[i]].Size)
	for oi := range rx.arc[i] {
		if rx.flow(i, oi) == size {
			return oi
		}
	}
	return -1
}

// branch picks a (group, option) pair the relaxation got wrong: a group split or
// partly placed, or else a second group at a provider that takes one. ok is false
// when the relaxation is an allocation.
func (b *search) branch(free []int, rx *relaxed) (i, oi int, ok bool) {
	holders := map[int]int{} // one-group provider → groups placed whole there
	for _, j := range free {
		g := b.gs[j]
		var total, most int64
		arg := -1
		for o := range rx.arc[j] {
			f := rx.flow(j, o)
			total += f
			if f > most {
				most, arg = f, o
			}
		}
		if total == 0 {
			continue
		}
		if most != int64(b.st.p.Groups[g].Size) {
			return j, arg, true
		}
		pr := b.st.p.Groups[g].Options[arg].Provider
		if b.st.p.Providers[pr].OneGroup {
			if holders[pr]++; holders[pr] > 1 {
				return j, arg, true
			}
		}
	}
	return 0, 0, false
}

// round turns a relaxation into an allocation and keeps it if it is the best yet:
// the groups the flow places whole stay where it put them while they fit; then in
// queue order each other group takes the option the flow sends most of it to, or
// failing that the first with room.
func (b *search) round(free []int, rx *relaxed) {
	at := slices.Clone(b.cur)
	value := b.fixed
	isFree := make([]bool, len(b.gs))
	for _, j := range free {
		isFree[j] = true
		if oi := b.full(j, rx); oi >= 0 && b.st.fits(b.gs[j], oi) {
			b.st.place(b.gs[j], oi)
			at[j], value = oi, value+b.st.worth(b.gs[j], oi)
		}
	}
	for _, j := range b.order {
		if !isFree[j] || at[j] >= 0 {
			continue
		}
		g := b.gs[j]
		opts := make([]int, len(rx.arc[j]))
		for o := range opts {
			opts[o] = o
		}
		slices.SortStableFunc(opts, func(x, y int) int {
			fx, fy := rx.flow(j, x), rx.flow(j, y)
			switch {
			case fx > fy:
				return -1
			case fx < fy:
				return 1
			}
			return 0
		})
		for _, oi := range opts {
			if b.st.fits(g, oi) {
				b.st.place(g, oi)
				at[j], value = oi, value+b.st.worth(g, oi)
				break
			}
		}
	}
	for _, j := range free {
		if at[j] >= 0 {
			b.st.unplace(b.gs[j], at[j])
		}
	}
	if value > b.best {
		b.best = value
		copy(b.bestOf, at)
	}
}

// dive looks for a good allocation from the root's relaxation: it fixes every
// group the flow places whole where it fits (a provider taking one group, the
// first such group), solves the relaxation again for the groups still free on the
// room left, and repeats until the flow places no group it can fix; then it rounds
// what is left. Each pass solves a smaller problem than the last.
func (b *search) dive(free []int, rx *relaxed) {
	type fix struct{ j, oi int }
	var fixed []fix
	value := b.fixed
	for len(free) > 0 {
		var rest []int
		for _, j := range free {
			if oi := b.full(j, rx); oi >= 0 && b.st.fits(b.gs[j], oi) {
				b.st.place(b.gs[j], oi)
				b.cur[j], value = oi, value+b.st.worth(b.gs[j], oi)
				fixed = append(fixed, fix{j, oi})
			} else {
				rest = append(rest, j)
			}
		}
		if len(rest) == len(free) {
			break
		}
		free = rest
		rx = b.relax(free)
	}
	saved := b.fixed
	b.fixed = value
	b.round(free, rx)
	b.fixed = saved
	for i := len(fixed) - 1; i >= 0; i-- {
		f := fixed[i]
		b.st.unplace(b.gs[f.j], f.oi)
		b.cur[f.j] = -1
	}
}

// relax solves the flow relaxation for the free groups on the room left. A group
// of size s sends s units, each worth (M·s + score)/s, scaled to whole numbers, or
// leaves them unplaced at no worth; only options the group fits in whole are arcs,
// and a provider that takes one group offers at most the places of the largest
// group that could come.
func (b *search) relax(free []int) *relaxed {
	st := b.st
	rx := &relaxed{arc: make([][]int32, len(b.gs))}
	var provs []int // providers touched, in first-seen order
	var biggest []int
	type pending struct{ from, prov int }
	var gp []pending
	var gpCost, gpCap []int64
	for n, j := range free {
		g := b.gs[j]
		gr := &st.p.Groups[g]
		rx.arc[j] = make([]int32, len(gr.Options))
		for oi, o := range gr.Options {
			rx.arc[j][oi] = -1
			if !st.fits(g, oi) {
				continue
			}
			pn := b.provNode[o.Provider]
			if pn < 0 {
				pn = int32(len(provs))
				b.provNode[o.Provider] = pn
				provs = append(provs, o.Provider)
				biggest = append(biggest, 0)
			}
			biggest[pn] = max(biggest[pn], gr.Size)
			rx.arc[j][oi] = int32(len(gp)) // replaced by the arc index below
			gp = append(gp, pending{n, int(pn)})
			s := int64(gr.Size)
			gpCost = append(gpCost, -(st.m*b.scale + o.Score*b.scale/s))
			gpCap = append(gpCap, s)
		}
	}
	provBase := len(free)
	var pools []int
	for _, pr := range provs {
		if k := st.p.Providers[pr].Pool; k >= 0 && b.poolNode[k] < 0 {
			b.poolNode[k] = int32(len(pools))
			pools = append(pools, k)
		}
	}
	poolBase := provBase + len(provs)
	sink := poolBase + len(pools)
	nodes := sink + 1
	net := newNetwork(nodes)
	supply := make([]int64, len(free))
	sources := make([]int, len(free))
	arcOf := make([]int32, len(gp))
	for i, e := range gp {
		arcOf[i] = int32(net.add(e.from, provBase+e.prov, gpCap[i], gpCost[i]))
	}
	for n, j := range free {
		sources[n], supply[n] = n, int64(st.p.Groups[b.gs[j]].Size)
		net.add(n, sink, supply[n], 0) // left unplaced
		for oi, a := range rx.arc[j] {
			if a >= 0 {
				rx.arc[j][oi] = arcOf[a]
			}
		}
	}
	for pn, pr := range provs {
		places := st.places[pr]
		if st.p.Providers[pr].OneGroup {
			places = min(places, biggest[pn])
		}
		to := sink
		if k := st.p.Providers[pr].Pool; k >= 0 {
			to = poolBase + int(b.poolNode[k])
		}
		net.add(provBase+pn, to, int64(places), 0)
	}
	// A provider that takes one group takes at most s children from the groups of
	// size s: when groups of several sizes could come, their arcs go through a node
	// per size that offers s, which keeps, say, three single children from sharing
	// a household of three places in the relaxation.
	arcsAt := make([][]int, len(provs)) // provider → its pending arcs
	for i, e := range gp {
		if st.p.Providers[provs[e.prov]].OneGroup {
			arcsAt[e.prov] = append(arcsAt[e.prov], i)
		}
	}
	for pn := range provs {
		bySize := map[int64][]int{}
		for _, i := range arcsAt[pn] {
			bySize[gpCap[i]] = append(bySize[gpCap[i]], i)
		}
		if len(bySize) < 2 {
			continue // one size: the provider's own capacity already says it
		}
		sizes := make([]int64, 0, len(bySize))
		for size := range bySize {
			sizes = append(sizes, size)
		}
		slices.Sort(sizes)
		for _, size := range sizes {
			mid := net.node()
			net.add(mid, provBase+pn, size, 0)
			for _, i := range bySize[size] {
				net.retarget(int(arcOf[i]), mid)
			}
		}
	}
	for kn, k := range pools {
		net.add(poolBase+kn, sink, int64(st.pools[k]), 0)
	}
	for _, pr := range provs {
		b.provNode[pr] = -1
	}
	for _, k := range pools {
		b.poolNode[k] = -1
	}
	// The network is a DAG a few arcs deep (group, size, provider, pool, sink), so
	// passes over the arcs until nothing changes give shortest distances from the
	// groups: potentials under which every reduced cost is non-negative, as
	// Dijkstra needs with these negative costs.
	const unset = math.MaxInt64
	nodes = len(net.adj)
	pot := make([]int64, nodes)
	for v := len(free); v < nodes; v++ {
		pot[v] = unset
	}
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(net.arcs); i += 2 {
			a := &net.arcs[i]
			u := int(net.arcs[i+1].to)
			if pot[u] != unset && pot[u]+a.cost < pot[a.to] {
				pot[a.to] = pot[u] + a.cost
				changed = true
			}
		}
	}
	for v := range pot {
		if pot[v] == unset {
			pot[v] = 0
		}
	}
	cost := net.minCostFlow(sources, supply, sink, pot)
	rx.net = net
	rx.value = -cost / b.scale
	return rx
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
