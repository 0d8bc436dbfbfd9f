// The web page for the offices that owe the figures, served by chiso itself:
//
//   GET /            the page (web/page/index.html)
//   GET /ui/{file}   its scripts and style sheet (web/page/{file})
//
// The files are compiled into the binary, carry no data and need no token; the page signs in
// through POST /api/v1/session (api/sessions.h) and then calls the same /api/v1 endpoints as
// every other client, so every rule and every permission is decided by the server.
//
// Every answer forbids framing and content sniffing and limits the page to its own origin
// (Content-Security-Policy default-src 'self'): no script or style from elsewhere runs in it.
// Files are served with a weak ETag (their content's hash) and revalidated on each load: a file
// the browser already holds is answered 304 without a body, and a new binary's page is never
// mixed with an old cached script.
#pragma once

#include "api/router.h"

namespace chiso::web {

void AddPageRoutes(api::Router& router);

}  // namespace chiso::web
