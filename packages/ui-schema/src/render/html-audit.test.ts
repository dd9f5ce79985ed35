import { describe, expect, it } from 'vitest';
import { auditHtml } from './html-audit.test-support.js';

const page = (
  body: string,
  head = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"><style>p{}</style>`,
) => `<!DOCTYPE html><html lang="en"><head><title>t</title>${head}</head><body>${body}</body></html>`;

// The audit checks every rendered page; these cases show it is not vacuous.
describe('auditHtml', () => {
  it('passes a page that keeps every rule', () => {
    expect(
      auditHtml(
        page('<main class="ui-root"><p class="ui-text">Hi</p><a href="https://example.com">x</a></main>'),
      ).violations,
    ).toEqual([]);
  });

  it.each([
    ['<script>alert(1)</script>', /a <script> element/],
    ['<p onclick="x">a</p>', /event handler attribute onclick/],
    ['<p style="color:red">a</p>', /style attribute on <p>/],
    ['<a href="javascript:alert(1)">a</a>', /href "javascript:alert\(1\)"/],
    ['<img src="data:text/html,x" alt="">', /src "data:text\/html,x"/],
    ['<iframe></iframe>', /tag <iframe> outside the allow-list/],
    ['<p id="x">a</p>', /attribute id outside the allow-list/],
    ['<p>a\u0000b</p>', /parse error unexpected-null-character/],
    ['<p class="a" class="b">a</p>', /parse error duplicate-attribute/],
  ])('flags %j', (body, violation) => {
    expect(auditHtml(page(body)).violations).toContainEqual(expect.stringMatching(violation));
  });

  it('flags a page without the CSP, or with markup in its stylesheet', () => {
    expect(auditHtml(page('', '<style>p{}</style>')).violations).toContain('0 CSP <meta> elements, not one');
    expect(
      auditHtml(
        page(
          '',
          `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src https: data:; style-src 'unsafe-inline'"><style>p{background:url(x)}</style>`,
        ),
      ).violations,
    ).toContain('the stylesheet holds markup, an import, a URL or an escape');
  });
});
