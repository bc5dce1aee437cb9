// signin.test.mjs - signing in and out, with JavaScript on and off: a
// signed-out visitor to / is led to the sign-in page; a wrong password is
// a GOV.UK error summary linked to the field and starts no session; the
// right one sets the HttpOnly, SameSite=Strict session cookie and leads to
// the role's home; a page asked for while signed out is reached after
// signing in (a local `next` only); signing out ends the session.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fx, launch, Visitor, VARIANTS } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const js of VARIANTS) {
	describe(`sign in and out (JavaScript ${js ? 'on' : 'off'})`, () => {
		let v;
		before(async () => { v = await Visitor.open(browser, { js }); });
		after(async () => { await v?.close(); });

		test('a signed-out visitor to / is led to the sign-in page', async () => {
			await v.goto('/');
			assert.equal(new URL(v.page.url()).pathname, '/sign-in');
			await v.check('sign-in');
			const form = v.page.locator('form').filter({ has: v.page.locator('input[name="password"]') });
			assert.equal(await form.getAttribute('method'), 'post');
			assert.equal(await form.locator('input[name="login"]').count(), 1);
			assert.equal(await form.locator('input[name="password"][type="password"]').count(), 1);
			// Each field has a visible label.
			for (const id of ['login', 'password']) {
				const fid = await form.locator(`input[name="${id}"]`).getAttribute('id');
				assert.equal(await v.page.locator(`label[for="${fid}"]`).count(), 1, `no label for ${id}`);
			}
		});

		test('a wrong password is a clear error, and no session', async () => {
			await v.fillSignIn(fx.users.worker, 'not the password');
			assert.equal(new URL(v.page.url()).pathname, '/sign-in');
			const summary = v.page.locator('.govuk-error-summary');
			await assert.doesNotReject(summary.waitFor(), 'no GOV.UK error summary');
			assert.match(await summary.innerText(), /password/i);
			// The summary's link leads to a field of the form.
			const href = await summary.locator('a').first().getAttribute('href');
			assert.match(href, /^#/);
			assert.equal(await v.page.locator(href).count(), 1, `the error links to ${href}, which is not on the page`);
			assert.match(await v.page.title(), /^Error: /);
			// What was typed as the login is kept; the password is not.
			assert.equal(await v.page.locator('input[name="login"]').inputValue(), fx.users.worker);
			assert.equal(await v.page.locator('input[name="password"]').inputValue(), '');
			await v.check('sign-in-error', { status: 403 });
			assert.ok(!(await v.ctx.cookies()).some((c) => c.name === 'sl_session'), 'a session after a wrong password');
		});

		test('the right password leads to the role home; sign out ends the session', async () => {
			await v.signIn(fx.users.worker);
			assert.equal(new URL(v.page.url()).pathname, '/my-work');
			await v.signOut();
			await v.goto('/my-work');
			assert.equal(new URL(v.page.url()).pathname, '/sign-in', 'a signed-out visitor reached /my-work');
		});

		test('a page asked for while signed out is reached after signing in', async () => {
			const want = `/children/${encodeURIComponent(fx.child)}`;
			await v.goto(want);
			const u = new URL(v.page.url());
			assert.equal(u.pathname, '/sign-in');
			assert.equal(u.searchParams.get('next'), want);
			await v.fillSignIn(fx.users.worker, fx.password);
			assert.equal(new URL(v.page.url()).pathname, want);
			await v.signOut();
		});

		test('a `next` leading off the site is not followed', async () => {
			await v.goto('/sign-in?next=' + encodeURIComponent('//evil.example/x'));
			await v.fillSignIn(fx.users.worker, fx.password);
			const u = new URL(v.page.url());
			assert.equal(u.origin, new URL(fx.url).origin, `signing in led off the site, to ${u.href}`);
			assert.equal(u.pathname, '/my-work');
			await v.signOut();
		});
	});
}
