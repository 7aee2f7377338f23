package assign

import "slices"

// network is a flow network for successive shortest paths: arcs are stored in
// pairs (an arc and its reverse) so that the residual graph is the arc list itself.
type network struct {
	adj  [][]int32 // node → indexes of its outgoing arcs (reverses included)
	arcs []arc
}

type arc struct {
	to   int32
	cap  int64 // residual capacity
	cost int64
}

func newNetwork(nodes int) *network {
	return &network{adj: make([][]int32, nodes)}
}

// add adds an arc from u to v and its reverse, and returns the arc's index.
func (n *network) add(u, v int, capacity, cost int64) int {
	i := len(n.arcs)
	n.arcs = append(n.arcs, arc{to: int32(v), cap: capacity, cost: cost}, arc{to: int32(u), cap: 0, cost: -cost})
	n.adj[u] = append(n.adj[u], int32(i))
	n.adj[v] = append(n.adj[v], int32(i+1))
	return i
}

// node adds a node and returns it.
func (n *network) node() int {
	n.adj = append(n.adj, nil)
	return len(n.adj) - 1
}

// retarget makes arc i, which has carried no flow, end at v instead.
func (n *network) retarget(i, v int) {
	old := int(n.arcs[i].to)
	n.adj[old] = slices.DeleteFunc(n.adj[old], func(a int32) bool { return int(a) == i^1 })
	n.arcs[i].to = int32(v)
	n.adj[v] = append(n.adj[v], int32(i^1))
}

// flowOn is the flow an arc added by add carries.
func (n *network) flowOn(i int) int64 { return n.arcs[i^1].cap }

// minCostFlow sends each source's supply to t at least cost, one source after
// another, each unit along a shortest path in the residual graph (successive
// shortest paths): Dijkstra on reduced costs with node potentials, so negative arc
// costs are allowed as long as pot makes every reduced cost of an arc with capacity
// non-negative. Every source must have a way to t (an arc straight to it, at cost
// zero, for what is not placed). Starting from the source rather than from a super
// source keeps each search local: it stops at t, having settled only the nodes
// nearer than t, which in an allocation are the source's own options and the
// groups competing for them. It returns the total cost.
func (n *network) minCostFlow(sources []int, supply []int64, t int, pot []int64) int64 {
	nodes := len(n.adj)
	const inf = int64(1) << 62
	dist := make([]int64, nodes)
	via := make([]int32, nodes) // arc reaching the node on the shortest path
	done := make([]bool, nodes)
	for i := range dist {
		dist[i] = inf
	}
	var touched []int32
	total := int64(0)
	q := &distHeap{}
	for i, src := range sources {
		for left := supply[i]; left > 0; {
			dist[src] = 0
			touched = append(touched[:0], int32(src))
			q.h = append(q.h[:0], item{0, int32(src)})
			for len(q.h) > 0 {
				it := q.pop()
				u := int(it.node)
				if done[u] || it.d != dist[u] {
					continue
				}
				done[u] = true
				if u == t {
					break // the rest cannot shorten the path to t
				}
				for _, ai := range n.adj[u] {
					a := &n.arcs[ai]
					if a.cap <= 0 {
						continue
					}
					v := int(a.to)
					nd := dist[u] + a.cost + pot[u] - pot[v]
					if nd < dist[v] {
						if dist[v] == inf {
							touched = append(touched, int32(v))
						}
						dist[v], via[v] = nd, ai
						q.push(item{nd, int32(v)})
					}
				}
			}
			if !done[t] {
				break // no way to t: cannot happen with an arc straight to it
			}
			// Potentials move by the distance found, capped at t's: nodes not
			// settled are at least that far, so reduced costs stay non-negative.
			// Less t's distance for every node, which changes no reduced cost, only
			// the nodes settled move.
			dt := dist[t]
			for _, v := range touched {
				if done[v] {
					pot[v] += dist[v] - dt
				}
			}
			push := left
			for v := t; v != src; v = int(n.arcs[via[v]^1].to) {
				push = min(push, n.arcs[via[v]].cap)
			}
			for v := t; v != src; v = int(n.arcs[via[v]^1].to) {
				n.arcs[via[v]].cap -= push
				n.arcs[via[v]^1].cap += push
				total += push * n.arcs[via[v]].cost
			}
			left -= push
			for _, v := range touched {
				dist[v], done[v] = inf, false
			}
		}
	}
	return total
}

type item struct {
	d    int64
	node int32
}

// distHeap is a binary min-heap ordered by distance, then node, so that the paths
// found do not depend on the order arcs were pushed in.
type distHeap struct{ h []item }

func (a item) less(b item) bool {
	if a.d != b.d {
		return a.d < b.d
	}
	return a.node < b.node
}

func (q *distHeap) push(x item) {
	q.h = append(q.h, x)
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !q.h[i].less(q.h[p]) {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

func (q *distHeap) pop() item {
	top := q.h[0]
	last := len(q.h) - 1
	q.h[0] = q.h[last]
	q.h = q.h[:last]
	i := 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < last && q.h[l].less(q.h[m]) {
			m = l
		}
		if r < last && q.h[r].less(q.h[m]) {
			m = r
		}
		if m == i {
			return top
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
}
