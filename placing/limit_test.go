package placing_test

import (
	"errors"
	"slices"
	"testing"

	"placematch"
	"placematch/matching"
	"placematch/placing"
	"placematch/store"
	"placematch/store/storetest"
)

// The fostering limit through the use cases, on the stored records: three siblings
// placed with a carer approved for four siblings; the fourth sibling is matched and
// booked with no exemption, an unrelated child is excluded and refused at booking,
// and an exemption naming that child lets it in until the exemption expires.
func TestFosteringLimitOnStoredRecords(t *testing.T) {
	each(t, func(t *testing.T, db, _ *store.DB) {
		svc := service(db)
		today := placematch.DateOf(storetest.Clock)
		carer := storetest.Carer("FOUR", func(p *placematch.Provider) {
			p.Carer.MaxChildren, p.Carer.SiblingsOverLimit = 4, true
		})
		must(t, db.CreateProvider(ctx, carer))
		kids := make([]*placematch.Child, 4)
		mk := func(i int) {
			kids[i] = storetest.Child("SIB-"+string(rune('A'+i)), func(c *placematch.Child) {
				c.DateOfBirth = today.AddDays(-365*(12-i) - 40)
				if i > 0 {
					c.Siblings = []string{kids[0].ID}
				}
			})
			must(t, db.CreateChild(ctx, kids[i]))
		}
		for i := range 3 {
			mk(i)
		}
		// Three of them placed first; the fourth is referred after.
		_, err := db.Book(ctx, store.BookRequest{ChildID: kids[0].ID, Provider: carer.Ref(), StartDate: today, IncludeSiblings: true})
		must(t, err)
		mk(3)
		fourth := kids[3]

		stranger := storetest.Child("STRANGER")
		must(t, db.CreateChild(ctx, stranger))
		find := func(id string) (*matching.Match, []string) {
			t.Helper()
			run, err := svc.Match(ctx, placing.MatchRequest{ChildID: id, Options: optsAll()})
			must(t, err)
			for i, m := range run.Matches {
				if m.Provider.ID == carer.ID {
					return &run.Matches[i], nil
				}
			}
			for _, e := range run.Excluded {
				if e.Provider.ID == carer.ID {
					return nil, e.Reasons
				}
			}
			t.Fatalf("carer neither matched nor excluded")
			return nil, nil
		}
		book := func(id string) error {
			_, err := svc.Book(ctx, store.BookRequest{ChildID: id, Provider: carer.Ref(), StartDate: today})
			return err
		}
		if _, codes := find(stranger.ID); !slices.Equal(codes, []string{matching.CodeFosteringLimit}) {
			t.Fatalf("an unrelated fourth child: %v", codes)
		}
		var re *placematch.RuleError
		if err := book(stranger.ID); !errors.As(err, &re) || !slices.Equal(re.Reasons, []string{matching.CodeFosteringLimit}) {
			t.Fatalf("booking an unrelated fourth child: %v", err)
		}
		m, codes := find(fourth.ID)
		if m == nil || !slices.Contains(m.Flags, matching.FlagSiblingGroupOverLimit) {
			t.Fatalf("the fourth sibling: match %+v, excluded %v", m, codes)
		}

		// An exemption naming the stranger, then expired.
		_, err = db.UpdateProvider(ctx, placematch.KindCarer, carer.ID, 0, func(p *placematch.Provider) error {
			p.Carer.Exemptions = []placematch.Exemption{{Children: []string{stranger.ID}, GrantedBy: "Norfolk County Council",
				ExpiresOn: today.AddDays(-1)}}
			return nil
		})
		must(t, err)
		if _, codes := find(stranger.ID); !slices.Equal(codes, []string{matching.CodeFosteringLimit}) {
			t.Fatalf("with an expired exemption: %v", codes)
		}
		_, err = db.UpdateProvider(ctx, placematch.KindCarer, carer.ID, 0, func(p *placematch.Provider) error {
			p.Carer.Exemptions[0].ExpiresOn = today.AddDays(30)
			return nil
		})
		must(t, err)
		if m, codes := find(stranger.ID); m == nil || !slices.Contains(m.Flags, matching.FlagLimitExemption) {
			t.Fatalf("with a current exemption: excluded %v", codes)
		}
		must(t, book(stranger.ID))
	})
}
