/*
 * session.c - signing in and out over the JSON API:
 *
 *   POST /api/v1/session {"login","password"} -> 200 {"login","role"}
 *        and Set-Cookie: sl_session=<token>; Path=/; HttpOnly; SameSite=Strict
 *        (; Secure under TLS)
 *   DELETE /api/v1/session -> 204, the session ended and the cookie cleared
 *
 * The password checks, backoff and the session itself are auth.c's; this
 * file only moves them between HTTP and auth_login/auth_logout.  A wrong
 * login and a wrong password get the same 401, so logins cannot be told
 * apart.  The password is wiped from the parsed JSON once checked (the
 * server wipes the request body).
 */
#include "util/common.h"
#include "http/http.h"
#include "http/parse.h"
#include "http/server.h"

#include <sodium.h>

#define COOKIE_ATTRS "; Path=/; HttpOnly; SameSite=Strict"

static void wipe_string(json_t *s)
{
	if (json_is_string(s))
		sodium_memzero((char *)json_string_value(s), json_string_length(s));
}

/* The two string members, and nothing else, or a 400 naming the field. */
static int login_fields(http_resp *w, json_t *body, const char **login, const char **password)
{
	const char *key;
	json_t *v;

	if (!json_is_object(body))
		return http_problem(w, 400, "the body must be a JSON object {\"login\",\"password\"}", NULL);
	json_object_foreach(body, key, v) {
		if (strcmp(key, "login") != 0 && strcmp(key, "password") != 0)
			return http_problem(w, 400, "unknown field", key);
	}
	v = json_object_get(body, "login");
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > AUTH_MAX_LOGIN)
		return http_problem(w, 400, "login: a string of 1 to 64 bytes is required", "login");
	*login = json_string_value(v);
	v = json_object_get(body, "password");
	if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 1024)
		return http_problem(w, 400, "password: a string of 1 to 1024 bytes is required", "password");
	*password = json_string_value(v);
	/* JSON strings may hold "\u0000"; C strings would stop there */
	if (strlen(*password) != json_string_length(v) ||
	    strlen(*login) != json_string_length(json_object_get(body, "login")))
		return http_problem(w, 400, "login and password may not contain NUL", NULL);
	return 0;
}

static int session_create(http_req *r, http_resp *w)
{
	const char *login = NULL, *password = NULL;
	char *token = NULL, *csrf = NULL;
	auth_user user;
	json_error_t jerr;
	json_t *body = NULL, *out;
	buf cookie = BUF_INIT;
	sl_err err = {0};
	int rc;

	if (!r->body)
		return http_problem(w, 400, "send {\"login\",\"password\"} as JSON", NULL);
	body = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!body) {
		rc = http_problem(w, 400, "the body is not valid JSON", NULL);
		goto done;
	}
	if ((rc = login_fields(w, body, &login, &password)))
		goto done;
	rc = auth_login(r->a, login, password, r->client, &token, &csrf, &user, &err);
	wipe_string(json_object_get(body, "password"));
	if (rc == SL_EDENIED) {
		rc = http_problem(w, 401, err.msg, NULL);
		goto done;
	}
	if (rc) {
		rc = http_problem_err(w, &err);
		goto done;
	}
	http_req_set_user(r, &user);
	buf_printf(&cookie, "sl_session=%s" COOKIE_ATTRS "%s", token, r->tls ? "; Secure" : "");
	out = json_pack("{s:s, s:s}", "login", user.login, "role", auth_role_name(user.role));
	http_resp_json(w, 200, out);
	if (http_resp_header(w, "Set-Cookie", buf_str(&cookie))) {
		http_resp_free(w);
		rc = http_problem(w, 500, "the session cookie could not be set", NULL);
		goto done;
	}
	rc = 200;
done:
	if (body) {
		wipe_string(json_object_get(body, "password"));
		json_decref(body);
	}
	if (token)
		sodium_memzero(token, strlen(token));
	if (csrf)
		sodium_memzero(csrf, strlen(csrf));
	if (cookie.data)
		sodium_memzero(cookie.data, cookie.len);
	buf_release(&cookie);
	free(token);
	free(csrf);
	return rc;
}

static int session_delete(http_req *r, http_resp *w)
{
	char *token = NULL;
	sl_err err = {0};
	int rc;

	/* the server let us in with this cookie, so it is there and well formed */
	if (http_cookie_get(http_header(r, "Cookie"), "sl_session", &token, &err) || !token)
		return http_problem(w, 400, "no session cookie", NULL);
	rc = auth_logout(r->a, token, &err);
	sodium_memzero(token, strlen(token));
	free(token);
	if (rc)
		return http_problem_err(w, &err);
	w->status = 204;
	http_resp_header(w, "Set-Cookie", "sl_session=; Max-Age=0" COOKIE_ATTRS);
	return 204;
}

const http_route http_session_routes[] = {
	{"POST", "/api/v1/session", HTTP_PUBLIC, HTTP_ANY_ROLE, HTTP_WRITE, session_create},
	{"DELETE", "/api/v1/session", HTTP_SESSION, HTTP_ANY_ROLE, HTTP_WRITE, session_delete},
};
const size_t http_session_routes_len = SL_ARRAY_LEN(http_session_routes);
