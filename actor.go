package placematch

// Actor is who did something the service keeps a record of, as the record names
// them: the subject of the API's bearer token or of the person signed in to the
// pages, their role, and their name when it is known (the pages know it; a
// bearer token carries none).
type Actor struct {
	Subject string
	Name    string
	Role    string
}

// Label is the actor as a sentence names them: their name, or their subject when
// no name is known.
func (a Actor) Label() string {
	if a.Name != "" {
		return a.Name
	}
	return a.Subject
}
