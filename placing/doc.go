// Package placing is the service's use cases for placing children, between the faces
// that people use (the JSON API, the web pages) and the parts that do the work
// (store, matching, reports). It owns the in-memory candidate index and its
// refresh, "match this child" (form the sibling group, rank, store a typed run and
// the bytes shown), "allocate" (rank every group of the queue as its own search
// does, solve for the whole queue with matching/assign, store the run; book nothing),
// "book" (check a cited rank against the typed run, then let the
// store book the group with the hard rules re-checked on the locked rows), and the
// sufficiency reports. The API and the web pages call it; neither holds a use case
// of its own.
//
// It imports the root package, matching, geo, store and reports. It must not import
// api, auth, jobs, demo or cmd, nor any HTTP framework: it knows nothing of requests,
// tokens or status codes, and reports failures as the root package's domain errors.
package placing
