// Package web is the placement officer's desk as server-rendered pages in the GOV.UK
// style: sign-in (OpenID Connect, or a demo person with serve --demo), the queue of
// children awaiting, a child's matches with the reasons for and against each
// provider, booking a match and ending a placement. Pages are html/template views
// built from the use cases' results (package placing) and plain record reads;
// forms post and redirect; errors show the GOV.UK error summary linked to the
// fields, from the same domain errors the JSON API answers as problem details.
//
// Every page works without JavaScript; the vendored GOV.UK Frontend script and the
// service's own only enhance. Static files are embedded and served under
// content-hashed names with a year's caching. Every answer carries a strict
// Content-Security-Policy (no inline script or style, no eval), and every form
// that changes something is refused when sent from another site
// (http.CrossOriginProtection). Sessions are kept server-side in the service's own
// database (store.Session), the browser holding only a random token.
//
// It imports the root package, auth (roles and identities), placing (the use
// cases), matching (the result and reason types it shows) and store (plain record
// reads and the sessions); it must not rank, index or book on its own
// (TestFacesCallTheUseCases), and nothing but cmd imports it.
package web
