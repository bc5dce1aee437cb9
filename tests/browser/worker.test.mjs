// worker.test.mjs - a social worker's day, with JavaScript on and off:
// sign in to My work, find a child there and open the record (summary,
// chronology timeline and family network as inline SVG with text
// alternatives) and as recorded on a date, record a visit through the form (a mistake first: the
// error is shown next to the field and nothing is saved), record an injury
// to a baby under six months old, see the NONMOBILE_INJURY alert appear
// on the record and in My work, and acknowledge it with one click.  A
// child who is not the worker's is refused with an HTML page.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fx, launch, Visitor, VARIANTS, sql, sqlCount, q, addDays, fillDate, pictureLabels } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const childPath = (id) => `/children/${encodeURIComponent(id)}`;

for (const js of VARIANTS) {
	describe(`social worker: My work, a child's record, a visit, an alert (JavaScript ${js ? 'on' : 'off'})`, () => {
		const tag = js ? 'js' : 'nojs';
		const child = fx.child;
		// One baby per run, so that each run's injury raises its own alert.
		const baby = fx.babies[js ? 0 : 1];
		let v;
		before(async () => { v = await Visitor.open(browser, { js }); });
		after(async () => { await v?.close(); });

		test('sign in leads to My work, which lists my children and my open alerts', async () => {
			await v.signIn(fx.users.worker);
			assert.equal(new URL(v.page.url()).pathname, '/my-work');
			await v.check('my-work');
			const mine = sql(`SELECT child FROM allocation WHERE worker = ${q(fx.users.worker)} AND to_seq IS NULL`).split('\n');
			for (const id of mine)
				assert.ok(await v.page.locator(`main a[href="${childPath(id)}"]`).count() > 0, `My work has no link to ${id}`);
			// Open alerts come first, each with an Acknowledge button.
			const open = sqlCount(`SELECT count(*) FROM alert WHERE child IN (SELECT child FROM allocation WHERE worker = ${q(fx.users.worker)}
				AND to_seq IS NULL) AND ack_seq IS NULL AND resolved_seq IS NULL`);
			assert.ok(open > 0, 'the fixture should give the worker open alerts');
			assert.equal(await v.page.locator('main form[action="/alerts/ack"]').count(), open,
				'one Acknowledge button per open alert of my children');
			const h2 = await v.page.locator('main h2').allInnerTexts();
			assert.match(h2[0], /alert/i, `the first section of My work is "${h2[0]}", not the alerts`);
		});

		test('a child found in My work opens the record with its pictures', async () => {
			await v.submit(v.page.locator(`main a[href="${childPath(child)}"]`).first());
			assert.equal(new URL(v.page.url()).pathname, childPath(child));
			await v.check('child-record');
			const name = sql(`SELECT name FROM person WHERE id = ${q(child)}`);
			assert.equal((await v.page.locator('h1').innerText()).trim(), name);
			// The timeline and the network: inline SVG drawn by the server,
			// each a picture with a name, and the same facts as text.
			const labels = await pictureLabels(v.page);
			assert.ok(labels.length >= 2, 'fewer than two SVG pictures (timeline, network)');
			for (const l of labels) assert.ok(l.length > 0, 'an SVG picture without a text alternative');
			assert.ok(await v.page.locator('main svg[role="img"] title', { hasText: /chronology|timeline/i }).count() > 0,
				'no chronology timeline picture');
			assert.ok(await v.page.locator('main svg[role="img"] title', { hasText: /network|family|household/i }).count() > 0,
				'no family network picture');
			// The visits of this child are in the plain chronology list.
			assert.ok(await v.page.locator('main #chronology').count() === 1, 'no chronology section');
		});

		test('the record as it was recorded on a date, and a date before it existed', async () => {
			// The demo was recorded today (real time): the record as it
			// stood at the end of the day it was registered, and the day before.
			const day = sql(`SELECT substr(recorded_at, 1, 10) FROM ledger WHERE kind = 'person.registered'
				AND json_extract(event, '$.data.id') = ${q(child)}`);
			assert.match(day, /^\d{4}-\d{2}-\d{2}$/);
			await v.page.locator('input#as_of').fill(day);
			await v.submit(v.page.getByRole('button', { name: 'Show the record then' }));
			await v.check('child-record-as-of');
			const banner = v.page.locator('main .govuk-notification-banner');
			assert.match(await banner.innerText(), /as it stood/i, 'no banner saying which date the record is shown as of');
			await v.page.locator('input#as_of').fill(addDays(day, -1));
			await v.submit(v.page.getByRole('button', { name: 'Show the record then' }));
			await v.check('child-record-as-of-error', { status: 404 });
			assert.match(await v.page.locator('.govuk-error-summary a[href="#as_of"]').innerText(), /not yet registered/);
			await v.goto(childPath(child));
		});

		test('every record form the child page links to opens', async () => {
			const links = await v.page.locator(`main a[href^="${childPath(child)}/record/"]`).evaluateAll(
				(as) => as.map((a) => a.getAttribute('href')));
			assert.ok(links.includes(`${childPath(child)}/record/visit`), 'no link to record a visit');
			for (const href of new Set(links)) {
				const r = await v.page.request.get(new URL(href, fx.url).href);
				assert.equal(r.status(), 200, `${href} answered HTTP ${r.status()}`);
			}
		});

		test('a visit with a mistake shows the error by the field and saves nothing', async () => {
			await v.submit(v.page.locator(`main a[href="${childPath(child)}/record/visit"]`).first());
			await v.check('record-visit');
			const before = sqlCount('SELECT count(*) FROM ledger');
			// "Was the child seen?" left unanswered.
			await v.page.locator('textarea[name="summary"]').fill(`Visit (${tag}) with a question left out`);
			await v.submit(v.page.getByRole('button', { name: 'Save' }));
			await v.check('record-visit-error', { status: 422 });
			assert.match(await v.page.title(), /^Error: /);
			const summary = v.page.locator('.govuk-error-summary');
			assert.equal(await summary.count(), 1, 'no error summary');
			assert.equal(await summary.locator('a[href="#seen"]').count(), 1, 'the summary does not link to the seen question');
			const group = v.page.locator('.govuk-form-group--error').filter({ has: v.page.locator('input[name="seen"]') });
			assert.equal(await group.locator('.govuk-error-message').count(), 1, 'no error message by the seen question');
			// What was typed is kept.
			assert.match(await v.page.locator('textarea[name="summary"]').inputValue(), /question left out/);
			assert.equal(sqlCount('SELECT count(*) FROM ledger'), before, 'a form with an error wrote to the ledger');
		});

		test('a visit recorded through the form is on the record', async () => {
			const visits = sqlCount(`SELECT count(*) FROM visit WHERE child = ${q(child)}`);
			const text = `Browser test visit (${tag}): seen in the kitchen, talked about school`;
			await v.page.locator('input[name="seen"][value="yes"]').check();
			await v.page.locator('input[name="seen_alone"][value="yes"]').check();
			await v.page.locator('textarea[name="summary"]').fill(text);
			await v.submit(v.page.getByRole('button', { name: 'Save' }));
			assert.equal(new URL(v.page.url()).pathname, childPath(child), 'a saved visit does not lead back to the record');
			await v.check('child-record-after-visit');
			assert.equal(sqlCount(`SELECT count(*) FROM visit WHERE child = ${q(child)}`), visits + 1, 'the visit was not recorded');
			const recorder = sql(`SELECT json_extract(event, '$.recorder') FROM ledger WHERE seq = (SELECT max(seq) FROM visit WHERE child = ${q(child)})`);
			assert.equal(recorder, fx.users.worker, 'the visit was not recorded as the signed-in worker');
			assert.ok(await v.page.getByText(text).count() > 0, 'the new visit is not shown on the record');
		});

		test('an injury to a baby raises an alert that appears on the record and in My work', async () => {
			const born = sql(`SELECT born FROM person WHERE id = ${q(baby)}`);
			assert.match(born, /^\d{4}-\d{2}-\d{2}$/);
			const day = addDays(born, js ? 40 : 70); // under six months old
			await v.goto(`${childPath(baby)}/record/injury`);
			await v.check('record-injury');
			await fillDate(v.page, 'occurred', day);
			await v.page.locator('textarea[name="description"]').fill(`Bruise on the upper arm (${tag})`);
			await v.page.locator('select[name="agency"]').selectOption('health');
			await v.page.locator('input[name="body_part"]').fill('Upper arm');
			await v.submit(v.page.getByRole('button', { name: 'Save' }));
			assert.equal(new URL(v.page.url()).pathname, childPath(baby));
			const ref = sql(`SELECT ref FROM alert WHERE code = 'NONMOBILE_INJURY' AND child = ${q(baby)} AND ack_seq IS NULL ORDER BY seq DESC LIMIT 1`);
			assert.ok(ref, 'recording the injury raised no NONMOBILE_INJURY alert');
			const onRecord = v.page.locator(`main form[action="/alerts/ack"]:has(input[name="alert"][value="${ref}"])`);
			assert.equal(await onRecord.count(), 1, `the record does not show alert ${ref} with an Acknowledge button`);
			await v.check('child-record-alert');

			await v.goto('/my-work');
			await v.check('my-work-alert');
			const row = v.page.locator(`main form[action="/alerts/ack"]:has(input[name="alert"][value="${ref}"])`);
			assert.equal(await row.count(), 1, `My work does not show alert ${ref}`);

			// One click: acknowledged as this worker, and gone from the list.
			await v.submit(row.getByRole('button'));
			assert.equal(new URL(v.page.url()).pathname, '/my-work');
			await v.check('my-work-acknowledged');
			assert.equal(sql(`SELECT ack_by FROM alert WHERE ref = ${q(ref)}`), fx.users.worker, 'the alert was not acknowledged by the worker');
			assert.equal(await v.page.locator(`main input[name="alert"][value="${ref}"]`).count(), 0, 'the acknowledged alert is still offered');
		});

		test("a child who is not mine is refused with an HTML page", async () => {
			const other = sql(`SELECT id FROM person WHERE role = 'child' AND id NOT IN (SELECT child FROM allocation WHERE team = ${q(fx.team)}
				OR worker = ${q(fx.users.worker)}) ORDER BY id LIMIT 1`);
			assert.ok(other, 'the demo has no child outside the worker\'s team');
			await v.goto(childPath(other));
			await v.check('forbidden', { status: 403 });
			assert.equal(await v.page.getByText(sql(`SELECT name FROM person WHERE id = ${q(other)}`)).count(), 0,
				'the refusal shows the child\'s name');
			await v.signOut();
		});
	});
}
