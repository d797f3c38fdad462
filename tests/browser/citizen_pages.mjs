// Drives Debian's Chromium through the citizen pages of a running collector, as a citizen on a
// phone would: the web form in Chinese and English, a validation error, a double press, a photo,
// and a QR code's landing page. Writes what it saw as JSON for the C++ test that started the
// collector, which checks the events on the real MQTT feed.
//
//   node citizen_pages.mjs '{"base":"http://127.0.0.1:PORT","qr_url":"...","out":"FILE",
//                            "screenshots":"DIR"}'
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const plan = JSON.parse(process.argv[2]);
const result = { pages: {}, steps: [] };
const step = (name) => result.steps.push(name);

// Every visible control must have a label, the page its lang and landmarks; recorded per page.
async function accessibility(page, name) {
  result.pages[name] = await page.evaluate(() => {
    const problems = [];
    const lang = document.documentElement.getAttribute('lang') || '';
    if (!lang) problems.push('no lang attribute');
    for (const landmark of ['header', 'main', 'footer']) {
      if (!document.querySelector(landmark)) problems.push(`no <${landmark}> landmark`);
    }
    if (!document.querySelector('h1')) problems.push('no h1');
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden' || el.closest('[aria-hidden="true"]')) continue;
      if (!el.labels || el.labels.length === 0) problems.push(`no label for ${el.name || el.id}`);
    }
    for (const el of document.querySelectorAll('[aria-describedby]')) {
      for (const id of el.getAttribute('aria-describedby').split(/\s+/)) {
        if (!document.getElementById(id)) problems.push(`aria-describedby names missing ${id}`);
      }
    }
    if (document.querySelector('script')) problems.push('the page uses a script');
    return { lang, problems };
  });
}

async function shot(page, file) {
  if (plan.screenshots) await page.screenshot({ path: `${plan.screenshots}/${file}`, fullPage: true });
}

// Submits the form by its button and returns the status of the POST's answer.
async function submit(page, label) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByRole('button', { name: label }).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
  return response.status();
}

const tracking = async (page) => (await page.locator('#tracking-number').textContent()).trim();

// A cold Chromium on a busy shared machine has been seen to take over 30 s to open its DevTools
// pipe; one slow start is not a failure of the pages, so the launch gets a long deadline and a
// second try, and says how long it took.
async function launch() {
  for (let attempt = 1; ; attempt += 1) {
    const started = Date.now();
    try {
      const launched = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        headless: true,
        timeout: 60000,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
               '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
      console.error(`chromium started in ${Date.now() - started} ms (attempt ${attempt})`);
      return launched;
    } catch (error) {
      console.error(`chromium did not start in ${Date.now() - started} ms (attempt ${attempt})`);
      if (attempt >= 2) throw error;
    }
  }
}

const browser = await launch();
try {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
    locale: 'zh-CN',
  });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  let posts = 0;
  page.on('request', (r) => { if (r.method() === 'POST') posts += 1; });

  // 1. The form in Chinese, with a photo (a real JPEG: a screenshot of the form itself).
  await page.goto(`${plan.base}/form`);
  await accessibility(page, 'form_zh');
  await shot(page, 'form-zh.png');
  const photo = await page.screenshot({ type: 'jpeg', quality: 50 });
  result.photo_sha256 = createHash('sha256').update(photo).digest('hex');
  result.photo_size = photo.length;
  await page.getByLabel('问题描述').fill('小区门口的路灯坏了一个星期，晚上很黑');
  await page.getByLabel('问题类别').selectOption('urban.lighting');
  await page.getByLabel('地点').fill('某路12号');
  await page.getByLabel('姓名').fill('张三');
  await page.getByLabel('手机或电话').fill('13800138000');
  await page.getByLabel('照片').setInputFiles({ name: '路灯.jpg', mimeType: 'image/jpeg', buffer: photo });
  result.zh = { status: await submit(page, '提交') };
  result.zh.tracking = await tracking(page);
  await accessibility(page, 'receipt_zh');
  await shot(page, 'receipt-zh.png');
  step('zh');

  // 2. The English switch, then the form in English.
  await page.goto(`${plan.base}/form`);
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForLoadState('domcontentloaded');
  await accessibility(page, 'form_en');
  await shot(page, 'form-en.png');
  await page.getByLabel('What is the problem?').fill('The drain cover outside No. 8 is missing');
  await page.getByLabel('Mobile or phone').fill('13900139000');
  result.en = { status: await submit(page, 'Send') };
  result.en.tracking = await tracking(page);
  result.en.receipt_lang = await page.locator('html').getAttribute('lang');
  step('en');

  // 3. Errors: shown beside their fields, the input kept; then corrected and sent.
  await page.goto(`${plan.base}/form`);
  await page.getByLabel('姓名').fill('李四');
  await page.getByLabel('手机或电话').fill('12345');
  await page.getByLabel('电子邮箱').fill('lisi@');
  const errorStatus = await submit(page, '提交');
  await accessibility(page, 'form_errors');
  await shot(page, 'form-errors.png');
  result.validation = {
    status: errorStatus,
    description_error: await page.locator('#description-error').isVisible(),
    phone_error: await page.locator('#phone-error').isVisible(),
    email_error: await page.locator('#email-error').isVisible(),
    name_kept: await page.getByLabel('姓名').inputValue(),
    phone_kept: await page.getByLabel('手机或电话').inputValue(),
    email_kept: await page.getByLabel('电子邮箱').inputValue(),
    phone_invalid: await page.getByLabel('手机或电话').getAttribute('aria-invalid'),
  };
  await page.getByLabel('问题描述').fill('楼上装修噪声很大，晚上十点以后还在施工');
  await page.getByLabel('手机或电话').fill('13700137000');
  await page.getByLabel('电子邮箱').fill('lisi@example.cn');
  result.validation.fixed_status = await submit(page, '提交');
  result.validation.tracking = await tracking(page);
  step('validation');

  // 4. A double press, then a reload of the receipt (the browser posts the same form again).
  await page.goto(`${plan.base}/form`);
  await page.getByLabel('问题描述').fill('人行道上的井盖松动了，踩上去会响');
  await page.getByLabel('手机或电话').fill('13600136000');
  const before = posts;
  // The second press comes once the first post is on its way, as an impatient finger does.
  // (Chromium may fold it into the first; the reload below always posts the same page again.)
  const firstPost = page.waitForRequest((r) => r.method() === 'POST');
  await page.getByRole('button', { name: '提交' }).click({ noWaitAfter: true });
  await firstPost;
  await page
    .evaluate(() => document.querySelector('button[type=submit]')?.click())
    .catch(() => {});  // the answer came first and the page has gone: no second press
  await page.locator('#tracking-number').waitFor();
  result.double = { tracking: await tracking(page), posts_by_press: posts - before };
  const beforeReload = posts;
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.locator('#tracking-number').waitFor();
  result.double.after_reload = await tracking(page);
  result.double.posts_by_reload = posts - beforeReload;
  step('double');

  // 5. The QR code's landing page: the place fixed and shown, then a report.
  await page.goto(plan.qr_url);
  await accessibility(page, 'qr');
  result.qr = { place: (await page.locator('#place').textContent()).trim() };
  result.qr.address_field = await page.locator('#address').count();
  await shot(page, 'qr-landing.png');
  await page.getByLabel('问题描述').fill('这盏路灯晚上不亮，已经好几天了');
  result.qr.status = await submit(page, '提交');
  result.qr.tracking = await tracking(page);
  step('qr');
} catch (e) {
  result.error = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
  writeFileSync(plan.out, JSON.stringify(result, null, 2));
}
