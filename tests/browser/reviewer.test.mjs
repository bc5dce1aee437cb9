// reviewer.test.mjs - an independent reviewer, with JavaScript on and off:
// the records granted to them, a child's full history with its alerts and
// who saw the record when (their own read among them), and the proof
// bundle downloaded through the page, whose every inclusion proof leads to
// the signed checkpoint's root (checked here, in Node).  A child not
// granted is refused with an HTML page.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { fx, launch, Visitor, VARIANTS, sql, sqlCount, q } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const sha256 = (...parts) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
// RFC 9162 2.1.3.2: the root an inclusion proof leads to.
function rootFromProof(leafHex, index, size, hashes) {
	let fn = BigInt(index), sn = BigInt(size) - 1n, r = Buffer.from(leafHex, 'hex');
	for (const h of hashes) {
		const p = Buffer.from(h, 'hex');
		if (sn === 0n) return null;
		if ((fn & 1n) === 1n || fn === sn) {
			r = sha256(Buffer.from([1]), p, r);
			if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
		} else {
			r = sha256(Buffer.from([1]), r, p);
		}
		fn >>= 1n; sn >>= 1n;
	}
	return sn === 0n ? r.toString('hex') : null;
}

for (const js of VARIANTS) {
	describe(`reviewer: a granted child's history, who saw it, the proof bundle (JavaScript ${js ? 'on' : 'off'})`, () => {
		let v, historyRows = 0;
		before(async () => { v = await Visitor.open(browser, { js }); });
		after(async () => { await v?.close(); });

		test('the records granted to me, and one child\'s full history', async () => {
			await v.signIn(fx.users.reviewer);
			await v.check('review-list');
			const link = v.page.locator(`main a[href="/review/${encodeURIComponent(fx.child)}"]`);
			assert.equal(await link.count(), 1, 'the granted child is not listed');
			await v.submit(link);
			await v.check('review');
			for (const id of ['history', 'alerts', 'access'])
				assert.equal(await v.page.locator(`main #${id}`).count(), 1, `no #${id} section`);
			// The alerts, one row each, and my own read in "who saw the record".
			const table = (id) => v.page.locator(`xpath=//*[@id="${id}"]/following-sibling::table[1]`);
			const alerts = sqlCount(`SELECT count(*) FROM alert WHERE child = ${q(fx.child)}`);
			assert.ok(alerts > 0, 'the fixture child should have alerts');
			assert.equal(await table('alerts').locator('tbody tr').count(), alerts, 'not one row per alert');
			const reads = await table('access').locator('tbody tr').filter({ hasText: fx.users.reviewer }).count();
			assert.ok(reads > 0, 'my own read is not in who saw the record');
			// The history: one row per event, every visit among them by seq.
			const seqs = await table('history').locator('tbody tr td:first-child').allInnerTexts();
			historyRows = seqs.length;
			const visits = sql(`SELECT seq FROM visit WHERE child = ${q(fx.child)}`).split('\n');
			for (const seq of visits) assert.ok(seqs.includes(seq), `visit ${seq} is not in the history`);
		});

		test('the proof bundle downloads, and every proof leads to the signed root', async () => {
			const link = v.page.locator('main a[href$="/proof.json"]');
			assert.equal(await link.count(), 1, 'no proof bundle link');
			const [download] = await Promise.all([v.page.waitForEvent('download'), link.click()]);
			const file = await download.path();
			const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
			assert.equal(bundle.format, 'safeledger-proof-bundle/1');
			assert.equal(bundle.child, fx.child);
			assert.equal(bundle.events.length, historyRows, 'the bundle and the page do not list the same events');
			const root = Buffer.from(bundle.checkpoint.split('\n')[2], 'base64').toString('hex');
			for (const e of bundle.events) {
				assert.ok(e.canonical.includes(JSON.stringify(fx.child)), `event ${e.seq} is not about the child`);
				const p = e.proof;
				assert.equal(rootFromProof(e.leaf_hash, p.leaf_index, p.tree_size, p.hashes), root,
					`the inclusion proof of event ${e.seq} does not lead to the checkpoint's root`);
			}
		});

		test('a child not granted to me is refused', async () => {
			const other = fx.babies.find((b) => b !== fx.child);
			await v.goto(`/review/${encodeURIComponent(other)}`);
			await v.check('review-forbidden', { status: 403 });
			await v.signOut();
		});
	});
}
