/**
 * A bundled example: a pricing card with ids on its slots (plan name, price, feature list, call
 * to action), and the tokens that style it. The `ui-variants` workflow uses it as the baseline
 * when none is given (`--auto`); tests use it as a known-good document.
 */
import type { UiDocument } from './document.js';
import { deepFreeze } from './deep-freeze.js';

/** The example pricing card (frozen: copy it to change it). */
export const PRICING_CARD_EXAMPLE: UiDocument = deepFreeze({
  version: 1,
  root: {
    type: 'card',
    id: 'pricing-card',
    children: [
      { type: 'heading', id: 'plan-name', level: 2, text: 'Team' },
      {
        type: 'stack',
        id: 'price-row',
        direction: 'row',
        gap: 'xs',
        align: 'end',
        children: [
          { type: 'text', id: 'price', text: '$24' },
          { type: 'text', id: 'price-period', text: 'per seat, per month', tone: 'muted' },
        ],
      },
      {
        type: 'text',
        id: 'plan-summary',
        text: 'Everything a growing team needs to ship together.',
        tone: 'muted',
      },
      {
        type: 'list',
        id: 'features',
        items: [
          { type: 'text', id: 'feature-projects', text: 'Unlimited projects' },
          { type: 'text', id: 'feature-history', text: '90 days of run history' },
          { type: 'text', id: 'feature-sso', text: 'Single sign-on' },
          { type: 'text', id: 'feature-support', text: 'Priority support' },
        ],
      },
      {
        type: 'button',
        id: 'cta',
        label: 'Start a free trial',
        variant: 'primary',
        href: 'https://example.com/signup?plan=team',
      },
      {
        type: 'button',
        id: 'secondary-cta',
        label: 'Compare plans',
        variant: 'link',
        href: 'https://example.com/pricing',
      },
    ],
  },
  tokens: {
    colors: {
      background: '#f6f7f9',
      surface: '#ffffff',
      text: '#1c2024',
      muted: '#5c6670',
      primary: '#3451b2',
      onPrimary: '#ffffff',
      border: '#d9dde3',
      danger: '#c62a2f',
      success: '#18794e',
    },
    spacing: { xs: 4, sm: 8, md: 16, lg: 24, xl: 40 },
    radius: { sm: 4, md: 8, lg: 12 },
    font: { family: 'system-ui', size: 16 },
  },
});
