// manager.test.mjs - the managers' and the director's journeys, with
// JavaScript on and off.  A worker asks for a correction of a visit from
// the child's record (a page with an error first: no reason given, nothing
// written); the team manager's page
// shows the team's caseloads as a chart and a table, unallocated children,
// alerts by child, and the request with the original and proposed values
// but no Approve button (a manager may not decide it); the director's
// dashboard shows its charts and the escalation inbox; the director (or a
// senior manager, in the run without JavaScript) approves the amendment on
// the team page, and the child's record then shows the amendment and the
// original.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fx, launch, Visitor, VARIANTS, api, sql, sqlCount, q, pictureLabels } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const js of VARIANTS) {
	describe(`managers and director: team, dashboard, an amendment approved (JavaScript ${js ? 'on' : 'off'})`, () => {
		const tag = js ? 'js' : 'nojs';
		const decider = js ? fx.users.director : fx.users.senior;
		const original = `Original words of the visit (${tag})`;
		const proposed = `Corrected words of the visit (${tag})`;
		let v, request;

		let visit;
		before(async () => {
			v = await Visitor.open(browser, { js });
			// A visit by the worker, to be corrected from its page.
			const worker = await api(fx.users.worker);
			const r = await worker('POST', '/api/v1/events', {
				kind: 'visit.recorded', occurred_at: fx.today, by: { user: fx.users.worker },
				data: { child: fx.child, seen: true, summary: original },
			});
			assert.equal(r.status, 201, `recording the visit: ${r.text}`);
			visit = r.body.seq;
		});
		after(async () => { await v?.close(); });

		test('the worker asks for a correction from the record', async () => {
			await v.signIn(fx.users.worker);
			await v.goto(`/children/${encodeURIComponent(fx.child)}?kind=visit.recorded`);
			const amend = `/children/${encodeURIComponent(fx.child)}/events/${visit}/amend`;
			await v.submit(v.page.locator(`main a[href="${amend}"]`).first());
			assert.equal(v.path(), amend);
			await v.check('amend');
			assert.equal(await v.page.locator('#f-summary').inputValue(), original, 'the form does not show the words as they read');
			// No reason: the error by the field, nothing written.
			const before = sqlCount("SELECT count(*) FROM amendment");
			await v.page.locator('#f-summary').fill(proposed);
			await v.submit(v.page.getByRole('button', { name: 'Send the request' }));
			await v.check('amend-error', { status: 422 });
			assert.match(await v.page.locator('.govuk-error-summary').innerText(), /why the correction is needed/);
			assert.equal(sqlCount("SELECT count(*) FROM amendment"), before, 'a request without a reason was written');
			await v.page.locator('#reason').fill(`Typed in the wrong box (${tag})`);
			await v.submit(v.page.getByRole('button', { name: 'Send the request' }));
			assert.match(v.path(), /[?]recorded=amendment$/, `sent to ${v.path()}`);
			assert.match(await v.page.locator('main').innerText(), /request for a correction was sent/);
			request = Number(sql(`SELECT request_seq FROM amendment WHERE target_seq = ${visit}`));
			assert.ok(request > visit, 'no amendment request recorded for the visit');
			assert.equal(sql(`SELECT requester FROM amendment WHERE request_seq = ${request}`), fx.users.worker);
			await v.signOut();
		});

		test('the team manager sees caseloads, unallocated children, alerts and the request, but may not decide it', async () => {
			await v.signIn(fx.users.manager);
			assert.equal(new URL(v.page.url()).pathname, '/team');
			await v.check('team');
			const labels = await pictureLabels(v.page);
			assert.ok(labels.some((l) => /caseload|per worker/i.test(l)), `no caseload chart among the pictures: ${JSON.stringify(labels)}`);
			// The chart's numbers as a table too: the worker and their count.
			const count = sql(`SELECT count(*) FROM allocation WHERE worker = ${q(fx.users.worker)} AND to_seq IS NULL`);
			const row = v.page.locator('main #caseloads ~ table tr, main table tr').filter({ hasText: fx.users.worker }).first();
			assert.ok(await row.count() > 0, 'the worker is not in a caseload table');
			assert.match(await row.innerText(), new RegExp(`\\b${count}\\b`), `the worker's row does not say ${count} children`);
			for (const id of ['unallocated', 'alerts', 'approvals'])
				assert.equal(await v.page.locator(`main #${id}`).count(), 1, `no #${id} section`);
			// The request, its reason, the original and the proposed words.
			const card = v.page.locator('main .govuk-summary-card').filter({ hasText: `Typed in the wrong box (${tag})` });
			assert.equal(await card.count(), 1, 'the amendment request is not on the team page');
			const text = await card.innerText();
			assert.ok(text.includes(original) && text.includes(proposed), 'the request does not show the original and proposed words');
			assert.equal(await v.page.locator(`main form[action="/approvals/${request}"]`).count(), 0,
				'a team manager is offered a decision they may not make');
			await v.signOut();
		});

		test('the director sees the dashboard with its charts and the escalation inbox', async () => {
			await v.signIn(fx.users.director);
			assert.equal(new URL(v.page.url()).pathname, '/director');
			await v.check('director');
			const labels = await pictureLabels(v.page);
			assert.ok(labels.length >= 2, `the dashboard has ${labels.length} charts`);
			for (const l of labels) assert.ok(l.length > 0, 'a chart without a text alternative');
			// Each chart's numbers are on the page as a table too.
			assert.ok(await v.page.locator('main table').count() >= labels.length, 'fewer tables than charts');
			assert.equal(await v.page.locator('main #escalations').count(), 1, 'no escalation inbox');
			if (decider !== fx.users.director) await v.signOut();
		});

		test(`${js ? 'the director' : 'a senior manager'} approves the amendment; the record shows it and the original`, async () => {
			if (decider !== fx.users.director) await v.signIn(decider);
			await v.goto('/team#approvals');
			await v.check(js ? 'approvals' : 'approvals-senior');
			const form = v.page.locator(`main form[action="/approvals/${request}"]`);
			assert.equal(await form.count(), 1, `${decider} is not offered the decision on request ${request}`);
			await v.submit(form.getByRole('button', { name: 'Approve' }));
			assert.equal(new URL(v.page.url()).pathname, '/team');
			await v.check('team-approved');
			assert.equal(sql(`SELECT status FROM amendment WHERE request_seq = ${request}`), 'approved');
			const decided = sql(`SELECT json_extract(l.event, '$.recorder') FROM amendment a JOIN ledger l ON l.seq = a.decided_seq
				WHERE a.request_seq = ${request}`);
			assert.equal(decided, decider, 'the approval was not recorded as the signed-in decider');
			assert.equal(await v.page.locator(`main form[action="/approvals/${request}"]`).count(), 0, 'the request is still waiting');

			await v.goto(`/children/${encodeURIComponent(fx.child)}`);
			await v.check('child-record-amended');
			assert.ok(await v.page.getByText(proposed).count() > 0, 'the record does not show the amended words');
			assert.ok(await v.page.getByText(original).count() > 0, 'the record does not keep the original words');
			await v.signOut();
		});
	});
}
