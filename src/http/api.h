/*
 * api.h - the JSON API /api/v1 (api.c): its route table is http_api_routes
 * in http.h; this header adds what tests and the docs share with it.
 *
 *   - the OpenAPI 3 document, docs/openapi.json embedded at build time
 *     (tools/gen_openapi.sh), served at /api/v1/openapi.json;
 *   - the one policy of which role may record which event kind
 *     (api_may_record), so the table can be tested and documented as one.
 */
#ifndef SL_HTTP_API_H
#define SL_HTTP_API_H

#include <stddef.h>

#include "app/auth.h"

extern const char http_openapi_json[]; /* NUL-terminated */
extern const size_t http_openapi_json_len;

/* May a user of this role record an event of this kind through the API?
 * Partners send only what a partner agency knows (agency information,
 * concerns, injuries, risk flags and their clearing, domestic abuse
 * notifications, missing episodes); admins, reviewers and data officers
 * record nothing; closure decisions on corrections, seals and grants are a
 * senior manager's or the director's; allocation a manager's. */
bool api_may_record(auth_role role, const char *kind);

/* GET /api/v1/census?year=&la=: the census return as XML (census_api.c). */
typedef struct http_req http_req;
typedef struct http_resp http_resp;
int http_census_get(http_req *r, http_resp *w);
/* GET /api/v1/census/check?year=: the validation rules' findings as JSON
 * (census_api.c). */
int http_census_check_get(http_req *r, http_resp *w);

#endif
