/**
 * `new Date(ms).toISOString()`, about ten times faster: a page of 50 runs has 100 times to write,
 * and `Date`'s formatting was a tenth of the list's cost. The same text for every whole number of
 * ms from 1970 to 9999; other values are given to `Date`.
 */

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00.000Z: from there on `toISOString` writes six-digit years. */
const YEAR_10000_MS = 253_402_300_800_000;
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

// The last day written (`YYYY-MM-DDT`): times of one list are mostly of a few days.
let lastDay = Number.NaN;
let lastDate = '';

/** The ISO 8601 text of an epoch time in ms, in UTC, to the ms: `2026-12-07T06:41:41.123Z`. */
export function isoTime(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000_MS && Number.isInteger(ms))) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== lastDay) {
    lastDate = dateOf(day);
    lastDay = day;
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${lastDate}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[rest - seconds * 1000]}Z`;
}

/**
 * `YYYY-MM-DDT` of a day counted from 1970-01-01: the proleptic Gregorian calendar's civil date
 * from a day number (Howard Hinnant's `civil_from_days`).
 */
function dateOf(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${TWO[month]}-${TWO[dayOfMonth]}T`;
}
