package reports

import (
	"cmp"
	"math"
	"slices"
)

// Small-number suppression, as the DfE practises it: a count of 1 to 4 is hidden
// (primary suppression), and so is whatever would let a reader work it back
// (secondary suppression), and nothing more, so that totals which identify nobody
// stay shown.
//
// A reader can work a hidden count back from the identities the table exposes: in a
// row, places = filled + vacant + unavailable, the placements split by distance and
// again by area (within + over + unknown = in area + out of area), and shortfall =
// children awaiting − vacant when there is one; down a column, TOTAL = the sum of the
// rows whenever the column adds up (placements always do; providers, places and
// children awaiting when nobody counts in two rows; shortfall by its definition). An
// identity is taken as exposed whenever it holds on the table's figures, whether the
// reader could know it or not. A hidden count is recoverable when the identities,
// with the shown counts put in, determine it: its unit vector lies in the span of
// the equations over the hidden counts. While any is, one more count is hidden: the
// smallest shown count of an identity that joins it to the others hidden, a row's
// before a TOTAL's, a count above zero before a zero, so the TOTAL of a column is
// hidden only when no row is left to hide instead.

// grid is a block of counts to publish: one row per table row (a TOTAL last, when
// total is set), one column per count measure.
type grid struct {
	vals   [][]int
	hidden [][]bool
	total  bool
	ids    []identity
}

// term is one count of an identity, with its coefficient.
type term struct {
	row, col int
	coef     int
}

// identity says the sum of its terms is zero.
type identity []term

// holds reports whether the identity holds on the grid's figures.
func (g *grid) holds(id identity) bool {
	s := 0
	for _, t := range id {
		s += t.coef * g.vals[t.row][t.col]
	}
	return s == 0
}

// addRowSum adds, for row r, the identity lhs = Σ rhs, when it holds.
func (g *grid) addRowSum(r, lhs int, rhs ...int) {
	id := identity{{r, lhs, 1}}
	for _, c := range rhs {
		id = append(id, term{r, c, -1})
	}
	if g.holds(id) {
		g.ids = append(g.ids, id)
	}
}

// addSplit adds, for row r, Σ a = Σ b, when it holds.
func (g *grid) addSplit(r int, a, b []int) {
	var id identity
	for _, c := range a {
		id = append(id, term{r, c, 1})
	}
	for _, c := range b {
		id = append(id, term{r, c, -1})
	}
	if g.holds(id) {
		g.ids = append(g.ids, id)
	}
}

// addColumnSums adds, for each column, TOTAL = Σ rows when it holds.
func (g *grid) addColumnSums(cols int) {
	if !g.total || len(g.vals) < 2 {
		return
	}
	n := len(g.vals) - 1
	for c := range cols {
		id := identity{{n, c, 1}}
		for r := range n {
			id = append(id, term{r, c, -1})
		}
		if g.holds(id) {
			g.ids = append(g.ids, id)
		}
	}
}

// primary hides the counts of 1 to 4.
func (g *grid) primary() {
	g.hidden = make([][]bool, len(g.vals))
	for r, row := range g.vals {
		g.hidden[r] = make([]bool, len(row))
		for c, v := range row {
			g.hidden[r][c] = v >= 1 && v <= 4
		}
	}
}

// protect adds secondary suppression, one count at a time, until no hidden count
// can be recovered.
func (g *grid) protect() {
	for {
		det := g.recoverable()
		if len(det) == 0 || !g.hideNear(det[0]) {
			return // nothing to recover, or everything joined to it is hidden already
		}
	}
}

type cellRef struct{ row, col int }

func (g *grid) isTotal(r int) bool { return g.total && r == len(g.vals)-1 }

// hideNear hides the best shown count among the identities joined to x through
// hidden counts; it reports whether it hid one.
func (g *grid) hideNear(x cellRef) bool {
	seenVar := map[cellRef]bool{x: true}
	queue := []cellRef{x}
	usedID := make([]bool, len(g.ids))
	best, found := cellRef{}, false
	better := func(a, b cellRef) bool {
		va, vb := g.vals[a.row][a.col], g.vals[b.row][b.col]
		return cmp.Or(cmp.Compare(b2i(g.isTotal(a.row)), b2i(g.isTotal(b.row))),
			cmp.Compare(b2i(va == 0), b2i(vb == 0)), cmp.Compare(va, vb),
			cmp.Compare(a.row, b.row), cmp.Compare(a.col, b.col)) < 0
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for i, id := range g.ids {
			if usedID[i] || !id.has(v) {
				continue
			}
			usedID[i] = true
			for _, t := range id {
				c := cellRef{t.row, t.col}
				if g.hidden[t.row][t.col] {
					if !seenVar[c] {
						seenVar[c] = true
						queue = append(queue, c)
					}
				} else if !found || better(c, best) {
					best, found = c, true
				}
			}
		}
	}
	if found {
		g.hidden[best.row][best.col] = true
	}
	return found
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (id identity) has(c cellRef) bool {
	for _, t := range id {
		if t.row == c.row && t.col == c.col && t.coef != 0 {
			return true
		}
	}
	return false
}

// recoverable lists the hidden counts the exposed identities determine. The
// equations over the hidden counts fall apart into independent parts (counts joined
// by no identity cannot help to find each other); each part is brought to reduced
// row echelon form, and a hidden count is determined when a row of it names that
// count alone.
func (g *grid) recoverable() []cellRef {
	vars := map[cellRef]int{}
	var names []cellRef
	var eqs [][]term // per identity, its hidden terms (col = var index, row unused)
	for _, id := range g.ids {
		var eq []term
		for _, t := range id {
			if !g.hidden[t.row][t.col] {
				continue
			}
			c := cellRef{t.row, t.col}
			j, ok := vars[c]
			if !ok {
				j = len(names)
				vars[c] = j
				names = append(names, c)
			}
			eq = append(eq, term{col: j, coef: t.coef})
		}
		if len(eq) > 0 {
			eqs = append(eqs, eq)
		}
	}
	parent := make([]int, len(names))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, eq := range eqs {
		for _, t := range eq[1:] {
			if a, b := find(eq[0].col), find(t.col); a != b {
				parent[a] = b
			}
		}
	}
	parts := map[int][]int{}
	for i, eq := range eqs {
		r := find(eq[0].col)
		parts[r] = append(parts[r], i)
	}
	var out []cellRef
	for _, part := range parts {
		local := map[int]int{}
		var cols []int
		for _, i := range part {
			for _, t := range eqs[i] {
				if _, ok := local[t.col]; !ok {
					local[t.col] = len(cols)
					cols = append(cols, t.col)
				}
			}
		}
		mat := make([][]float64, len(part))
		for k, i := range part {
			mat[k] = make([]float64, len(cols))
			for _, t := range eqs[i] {
				mat[k][local[t.col]] += float64(t.coef)
			}
		}
		for _, j := range determined(mat) {
			out = append(out, names[cols[j]])
		}
	}
	slices.SortFunc(out, func(a, b cellRef) int { return cmp.Or(cmp.Compare(a.row, b.row), cmp.Compare(a.col, b.col)) })
	return out
}

// determined brings mat to reduced row echelon form and returns the columns some row
// names alone.
func determined(mat [][]float64) []int {
	const eps = 1e-9
	if len(mat) == 0 {
		return nil
	}
	n := len(mat[0])
	var pivots []int
	r := 0
	for c := 0; c < n && r < len(mat); c++ {
		p := -1
		for i := r; i < len(mat); i++ {
			if math.Abs(mat[i][c]) > eps && (p < 0 || math.Abs(mat[i][c]) > math.Abs(mat[p][c])) {
				p = i
			}
		}
		if p < 0 {
			continue
		}
		mat[r], mat[p] = mat[p], mat[r]
		pv := mat[r][c]
		for j := range mat[r] {
			mat[r][j] /= pv
		}
		for i := range mat {
			if i != r && math.Abs(mat[i][c]) > eps {
				f := mat[i][c]
				for j := range mat[i] {
					mat[i][j] -= f * mat[r][j]
				}
			}
		}
		pivots = append(pivots, c)
		r++
	}
	var out []int
	for i, c := range pivots {
		alone := true
		for j, v := range mat[i] {
			if j != c && math.Abs(v) > eps {
				alone = false
				break
			}
		}
		if alone {
			out = append(out, c)
		}
	}
	return out
}
