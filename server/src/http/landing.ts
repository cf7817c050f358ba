import type { FastifyInstance } from 'fastify';

/**
 * The page at `/` until the web app (RTL Persian UI) is served here: it says what is running
 * and where the API and its documentation are.
 */
const PAGE = `<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>سامانهٔ فوریت‌های اداری ۱۲۸ — فؤاد</title>
<style>
  body { font-family: Vazirmatn, Tahoma, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.9; color: #1a1a2e; }
  h1 { font-size: 1.6rem; } code { direction: ltr; unicode-bidi: embed; background: #f2f2f7; padding: 0 .3rem; border-radius: 4px; }
  a { color: #0b5cad; }
</style>
</head>
<body>
<h1>سامانهٔ فوریت‌های اداری ۱۲۸ (فؤاد)</h1>
<p>شکایت از نحوهٔ ارائهٔ خدمت در دستگاه‌های اجرایی، با کد رهگیری و پاسخ در مهلت مقرر.</p>
<ul>
  <li>مستندات رابط برنامه‌نویسی: <a href="/docs">/docs</a></li>
  <li>پیگیری شکایت: <code>GET /api/v1/track/{کد رهگیری}</code></li>
  <li>ثبت شکایت: <code>POST /api/v1/complaints</code></li>
</ul>
<p lang="en" dir="ltr">Foad 128 — the administrative-emergency complaint system. API documentation at <a href="/docs">/docs</a>.</p>
</body>
</html>`;

export function registerLanding(app: FastifyInstance): void {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
}
