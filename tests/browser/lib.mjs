// lib.mjs - what every browser journey shares: the fixture run.sh wrote
// (server URL, users, children), Debian's chromium through playwright-core,
// and one check for every page a journey visits (Visitor.check): the page
// answered with the expected status, is a GOV.UK page (language, title, one
// h1, a main landmark, GOV.UK Frontend's stylesheet applied), nothing on it
// failed to load or broke the Content-Security-Policy, axe-core finds no
// serious or critical violation, and a screenshot is written.
//
// A Visitor is one person in one browser context, with JavaScript on or off
// (newContext({javaScriptEnabled})).  With JavaScript off, axe-core cannot
// run in the page itself, so the HTML the page was given is checked in a
// second, JavaScript-enabled page of the same origin that is handed exactly
// that HTML (its stylesheets and images still come from the server), which
// is what a screen reader of that visitor would meet.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const fixturePath = process.env.SL_BROWSER_FIXTURE;
if (!fixturePath) throw new Error('SL_BROWSER_FIXTURE is not set: run the tests through tests/browser/run.sh');
export const fx = JSON.parse(fs.readFileSync(fixturePath, 'utf8'));
const axeSource = fs.readFileSync(path.join(fx.root, 'node_modules/axe-core/axe.min.js'), 'utf8');

// Pages that go into docs/screenshots (through SCREENSHOTS_DIR) are cut
// at this height so that the README's pictures stay readable and small.
const SHOT_MAX_HEIGHT = 2600;

export async function launch() {
	// Chromium's sandbox cannot start as root (the test machines run as root).
	const args = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
	return chromium.launch({ executablePath: fx.chromium, headless: true, args });
}

export class Visitor {
	// One person's browser context; js: JavaScript on or off.
	static async open(browser, { js = true } = {}) {
		const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 1280, height: 900 } });
		ctx.setDefaultTimeout(15000);
		ctx.setDefaultNavigationTimeout(20000);
		const v = new Visitor(browser, ctx, await ctx.newPage(), js);
		return v;
	}

	constructor(browser, ctx, page, js) {
		this.browser = browser;
		this.ctx = ctx;
		this.page = page;
		this.js = js;
		this.problems = []; // what went wrong on the page since the last check
		this.doc = null; // the main document's last response (after redirects)
		this.axePage = null; // the JavaScript-enabled page axe runs in when js is off
		page.on('response', (r) => {
			const req = r.request();
			if (req.isNavigationRequest() && req.frame() === page.mainFrame()) this.doc = r;
			else if (r.status() >= 400) this.problems.push(`HTTP ${r.status()} for ${req.resourceType()} ${r.url()}`);
		});
		page.on('requestfailed', (req) => this.problems.push(`request failed: ${req.url()}: ${req.failure()?.errorText}`));
		// CSP refusals (an inline script or style) show as console errors.
		// "Failed to load resource" repeats what the response handler saw
		// (and is said of a page answered 4xx on purpose, which check()
		// judges by its status).
		page.on('console', (m) => {
			if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
				this.problems.push(`console error: ${m.text()}`);
		});
		page.on('pageerror', (e) => this.problems.push(`script error: ${e.message}`));
	}

	get variant() {
		return this.js ? 'JavaScript on' : 'JavaScript off';
	}

	path() {
		const u = new URL(this.page.url());
		return u.pathname + u.search;
	}

	async goto(p) {
		return this.page.goto(new URL(p, fx.url).href);
	}

	// Click something that submits a form or follows a link, and wait for
	// the page it leads to (also without JavaScript: a plain navigation).
	async submit(locator) {
		await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
	}

	// The check every page gets (see the top of the file); name names the
	// screenshot.  status: the HTTP status the page must have answered.
	async check(name, { status = 200 } = {}) {
		const page = this.page;
		await page.waitForLoadState('load');
		// First the picture, so that a page that fails is there to look at.
		await this.shot(name);
		assert.ok(this.doc, `${name}: no document was loaded`);
		assert.equal(this.doc.status(), status, `${name}: ${this.path()} answered HTTP ${this.doc.status()}, expected ${status}`);
		assert.match(this.doc.headers()['content-type'] || '', /^text\/html/, `${name}: not an HTML page`);
		const csp = this.doc.headers()['content-security-policy'] || '';
		assert.match(csp, /default-src 'self'/, `${name}: no strict Content-Security-Policy`);
		assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${name}: the CSP allows inline code`);

		// Inline code is judged on the HTML the server sent (scripts may
		// set styles through the CSSOM, which the CSP allows).
		const sent = await this.doc.text();
		const facts = await page.evaluate((sent) => {
			const doc = new DOMParser().parseFromString(sent, 'text/html');
			const handlers = [...doc.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name)));
			return {
				jsRan: document.body.classList.contains('govuk-frontend-supported'),
				lang: document.documentElement.lang,
				template: document.documentElement.classList.contains('govuk-template'),
				title: document.title,
				h1: document.querySelectorAll('h1').length,
				main: document.querySelectorAll('main').length,
				inlineScripts: [...doc.querySelectorAll('script')].filter((s) => !s.src).length + handlers.length,
				inlineStyles: doc.querySelectorAll('style, [style]').length,
				govukCss: [...document.styleSheets].some((s) => {
					try {
						return /govuk-frontend/.test(s.href || '') && s.cssRules.length > 100;
					} catch {
						return false;
					}
				}),
			};
		}, sent);
		// GOV.UK Frontend's script marks the body when it runs: it must have
		// run exactly when JavaScript is on (the no-JS runs are real ones).
		assert.equal(facts.jsRan, this.js, `${name}: GOV.UK Frontend's script ${facts.jsRan ? 'ran' : 'did not run'} with ${this.variant}`);
		assert.equal(facts.lang, 'en', `${name}: <html lang> is "${facts.lang}"`);
		assert.ok(facts.template, `${name}: <html> lacks the govuk-template class`);
		assert.ok(facts.title.trim().length > 0, `${name}: empty <title>`);
		assert.equal(facts.h1, 1, `${name}: ${facts.h1} h1 headings, expected one`);
		assert.equal(facts.main, 1, `${name}: ${facts.main} main landmarks, expected one`);
		assert.equal(facts.inlineScripts, 0, `${name}: inline <script> or on* handler (the CSP forbids it)`);
		assert.equal(facts.inlineStyles, 0, `${name}: inline style (the CSP forbids it)`);
		assert.ok(facts.govukCss, `${name}: GOV.UK Frontend's stylesheet was not applied`);

		await this.axe(name);
		assert.deepEqual(this.problems, [], `${name}: problems while loading ${this.path()}`);
		this.problems = [];
	}

	async axe(name) {
		let page = this.page;
		if (!this.js) {
			// The same HTML, same URL, in a page that may run axe-core.
			const html = await this.page.content();
			const url = this.page.url();
			if (!this.axePage) {
				const ctx = await this.browser.newContext({ viewport: { width: 1280, height: 900 } });
				this.axePage = await ctx.newPage();
			}
			page = this.axePage;
			await page.unrouteAll();
			await page.route((u) => u.href === url, (route) =>
				route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
			await page.goto(url);
		}
		await page.evaluate(axeSource);
		const violations = await page.evaluate(async () => {
			const r = await window.axe.run(document, { resultTypes: ['violations'] });
			return r.violations.map((v) => ({
				id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ': ' + n.failureSummary),
			}));
		});
		const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
		const said = bad.map((x) => `\n  ${x.impact} ${x.id}: ${x.help}` + x.nodes.map((n) => `\n    ${n.replace(/\n/g, ' ')}`).join(''));
		assert.ok(bad.length === 0, `${name} (${this.variant}): axe-core found serious or critical violations on ${this.path()}:${said.join('')}`);
	}

	async shot(name) {
		const file = `${name}${this.js ? '' : '-nojs'}.png`;
		await this.page.screenshot({ path: path.join(fx.out, file), fullPage: true });
		if (fx.screenshots && this.js) {
			const height = await this.page.evaluate(() => document.documentElement.scrollHeight);
			await this.page.screenshot({
				path: path.join(fx.screenshots, file), fullPage: true,
				clip: { x: 0, y: 0, width: 1280, height: Math.min(height, SHOT_MAX_HEIGHT) },
			});
		}
	}

	// The sign-in journey: a signed-out visitor to / is led to the sign-in
	// page, whose form posts `login` and `password` (and hidden fields),
	// sets the session cookie and redirects.  check: run the page check on
	// the sign-in page too.
	async signIn(login, { check = false, password = fx.password } = {}) {
		// A new person at the browser: nothing of an earlier test's session.
		await this.ctx.clearCookies();
		await this.goto('/');
		assert.match(new URL(this.page.url()).pathname, /^\/sign-in$/, `/ led to ${this.path()}, not the sign-in page`);
		if (check) await this.check('sign-in');
		await this.fillSignIn(login, password);
		const cookie = (await this.ctx.cookies()).find((c) => c.name === 'sl_session');
		assert.ok(cookie, `signing in as ${login} set no sl_session cookie (now on ${this.path()})`);
		assert.ok(cookie.httpOnly, 'the session cookie is not HttpOnly');
		assert.equal(cookie.sameSite, 'Strict', 'the session cookie is not SameSite=Strict');
		assert.doesNotMatch(new URL(this.page.url()).pathname, /^\/sign-in/, `still on the sign-in page after signing in as ${login}`);
	}

	async fillSignIn(login, password) {
		const form = this.page.locator('form').filter({ has: this.page.locator('input[name="password"]') });
		await form.locator('input[name="login"]').fill(login);
		await form.locator('input[name="password"]').fill(password);
		await this.submit(form.locator('button[type="submit"], input[type="submit"], button:not([type])').first());
	}

	async signOut() {
		const button = this.page.locator('form[action="/sign-out"] button, form[action="/sign-out"] input[type="submit"]').first();
		await this.submit(button);
		assert.ok(!(await this.ctx.cookies()).some((c) => c.name === 'sl_session' && c.value), 'the session cookie outlived signing out');
	}

	async close() {
		if (this.axePage) await this.axePage.context().close();
		await this.ctx.close();
	}
}

// The JSON API as a user (for what the pages do not do, e.g. an amendment
// request): signs in and returns a function (method, path, body) -> {status, body}.
export async function api(login) {
	const r = await fetch(new URL('/api/v1/session', fx.url), {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ login, password: fx.password }),
	});
	assert.equal(r.status, 200, `API sign-in as ${login}: HTTP ${r.status}`);
	const cookie = r.headers.get('set-cookie').split(';')[0];
	return async (method, p, body) => {
		const res = await fetch(new URL(p, fx.url), {
			method, headers: { Cookie: cookie, ...(body ? { 'Content-Type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await res.text();
		let json = null;
		try { json = JSON.parse(text); } catch { /* not JSON */ }
		return { status: res.status, body: json, text };
	};
}

// Run fn once with JavaScript on and once with it off (the issue: "the
// same journeys work with JavaScript disabled").
export const VARIANTS = [true, false];

// A number or rows from the server's database, read with the sqlite3 tool
// beside the running server (WAL: readers never block it).  The tests use
// it only to see what a page did or did not write, never to set anything.
export function sql(query) {
	return execFileSync('sqlite3', ['-readonly', fx.db, query], { encoding: 'utf8' }).trim();
}
export const sqlCount = (query) => Number(sql(query));
// A value for SQL text built by a test (ids are the demo's, but quote anyway).
export const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

// A date as the GOV.UK date input's three fields, or YYYY-MM-DD back.
export function addDays(day, n) {
	const d = new Date(day + 'T00:00:00Z');
	d.setUTCDate(d.getUTCDate() + n);
	return d.toISOString().slice(0, 10);
}
export async function fillDate(page, name, day) {
	const [y, m, d] = day.split('-').map(Number);
	await page.locator(`input[name="${name}-day"]`).fill(String(d));
	await page.locator(`input[name="${name}-month"]`).fill(String(m));
	await page.locator(`input[name="${name}-year"]`).fill(String(y));
}

// The text alternative of every SVG picture in main (role="img": its
// aria-labelledby elements, aria-label or first <title>), in page order.
export async function pictureLabels(page) {
	return page.locator('main svg[role="img"]').evaluateAll((svgs) => svgs.map((el) => {
		const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
		const byId = ids.map((id) => document.getElementById(id)?.textContent || '').join(' ');
		return (byId || el.getAttribute('aria-label') || el.querySelector(':scope > title')?.textContent || '').trim();
	}));
}
