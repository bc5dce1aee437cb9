// partner.test.mjs - a partner agency's person (police), with JavaScript
// on and off: send information about a child (a mistake first: errors by
// the fields, nothing written; then recorded as an agency_info.received
// event from the police, by this user), check the child's plan status by
// NHS number (the same answer the agency's API token gets) and a number
// with a wrong check digit (a GOV.UK error by the field); a child's record
// is not theirs to open.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fx, launch, Visitor, VARIANTS, sql, sqlCount, q } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const js of VARIANTS) {
	describe(`partner: send information, check a plan status (JavaScript ${js ? 'on' : 'off'})`, () => {
		const tag = js ? 'js' : 'nojs';
		const nhs = sql(`SELECT nhs_number FROM person WHERE id = ${q(fx.child)}`);
		let v;
		before(async () => { v = await Visitor.open(browser, { js }); });
		after(async () => { await v?.close(); });

		test('the partner page, and a form with mistakes that saves nothing', async () => {
			assert.ok(fx.users.partner, 'no partner user in the fixture');
			await v.signIn(fx.users.partner);
			assert.equal(new URL(v.page.url()).pathname, '/partner');
			await v.check('partner');
			const before = sqlCount('SELECT count(*) FROM ledger');
			await v.submit(v.page.getByRole('button', { name: 'Send information' }));
			await v.check('partner-error', { status: 422 });
			const summary = v.page.locator('.govuk-error-summary');
			for (const f of ['person', 'summary', 'significant_harm'])
				assert.equal(await summary.locator(`a[href="#${f}"]`).count(), 1, `the error summary does not name ${f}`);
			assert.ok(await v.page.locator('.govuk-form-group--error').count() >= 3, 'the errors are not by the fields');
			assert.equal(sqlCount('SELECT count(*) FROM ledger'), before, 'a form with errors wrote to the ledger');
		});

		test('information sent is recorded as from the police, by this user', async () => {
			const text = `Officers attended the home after a neighbour's call (${tag})`;
			await v.page.locator('input[name="person"]').fill(fx.child);
			await v.page.locator('textarea[name="summary"]').fill(text);
			await v.page.locator('input[name="significant_harm"][value="yes"]').check();
			await v.submit(v.page.getByRole('button', { name: 'Send information' }));
			const u = new URL(v.page.url());
			assert.equal(u.pathname, '/partner');
			const seq = u.searchParams.get('sent');
			assert.match(seq || '', /^\d+$/, 'no confirmation of what was sent');
			await v.check('partner-sent');
			assert.ok(await v.page.locator('.govuk-notification-banner, .govuk-panel').count() > 0, 'no success message');
			const ev = JSON.parse(sql(`SELECT event FROM ledger WHERE seq = ${seq}`));
			assert.equal(ev.kind, 'agency_info.received');
			assert.equal(ev.by.agency, 'police');
			assert.equal(ev.recorder, fx.users.partner);
			assert.equal(ev.data.person, fx.child);
			assert.equal(ev.data.summary, text);
			assert.equal(ev.data.significant_harm, true);
		});

		test('a plan status by NHS number is the answer the API gives', async () => {
			assert.match(nhs, /^\d{10}$/, 'the fixture child has no NHS number');
			await v.page.locator('input[name="nhs_number"]').fill(nhs);
			await v.submit(v.page.getByRole('button', { name: 'Check' }));
			await v.check('partner-status');
			const answer = await v.page.locator('#status-answer').innerText();
			const r = await fetch(new URL(`/api/v1/status?nhs_number=${nhs}`, fx.url), { headers: { Authorization: `Bearer ${fx.token}` } });
			assert.equal(r.status, 200);
			const api = await r.json();
			assert.match(answer, new RegExp(`On a child protection plan\\s+${api.cp_plan ? 'Yes' : 'No'}`));
			assert.match(answer, new RegExp(`Looked after\\s+${api.looked_after ? 'Yes' : 'No'}`));
		});

		test('an NHS number with a wrong check digit is an error by the field', async () => {
			const bad = nhs.slice(0, 9) + String((Number(nhs[9]) + 1) % 10);
			await v.page.locator('input[name="nhs_number"]').fill(bad);
			await v.submit(v.page.getByRole('button', { name: 'Check' }));
			await v.check('partner-status-error', { status: 400 });
			assert.equal(await v.page.locator('.govuk-error-summary a[href="#nhs_number"]').count(), 1);
			assert.equal(await v.page.locator('.govuk-form-group--error input[name="nhs_number"]').count(), 1);
			assert.equal(await v.page.locator('#status-answer').count(), 0, 'an answer for a wrong number');
		});

		test("a child's record is not a partner's to open", async () => {
			await v.goto(`/children/${encodeURIComponent(fx.child)}`);
			await v.check('partner-forbidden', { status: 403 });
			await v.signOut();
		});
	});
}
