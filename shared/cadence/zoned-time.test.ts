import { describe, expect, test } from 'vitest';
import { calendarDate } from '../time/calendar-date';
import { minuteOfDay, zonedEpoch } from './zoned-time';

describe('zonedEpoch', () => {
  test.each([
    {
      date: '2025-03-07',
      minute: 8 * 60,
      tz: 'America/Sao_Paulo',
      iso: '2025-03-07T08:00:00-03:00',
    },
    {
      date: '2025-03-07',
      minute: 24 * 60,
      tz: 'America/Sao_Paulo',
      iso: '2025-03-08T00:00:00-03:00',
    },
    { date: '2025-03-07', minute: 8 * 60, tz: 'America/Manaus', iso: '2025-03-07T08:00:00-04:00' },
    { date: '2025-03-07', minute: 8 * 60, tz: 'America/Noronha', iso: '2025-03-07T08:00:00-02:00' },
    // Brazil had DST until 2019: 2018-12-01 was UTC−02:00 in São Paulo.
    {
      date: '2018-12-01',
      minute: 8 * 60,
      tz: 'America/Sao_Paulo',
      iso: '2018-12-01T08:00:00-02:00',
    },
    {
      date: '2025-07-01',
      minute: 9 * 60 + 30,
      tz: 'America/New_York',
      iso: '2025-07-01T09:30:00-04:00',
    },
  ])('$date +$minute min in $tz', ({ date, minute, tz, iso }) => {
    const at = zonedEpoch(calendarDate(date), minute, tz);
    expect(at).toBe(Date.parse(iso));
    if (minute < 24 * 60) expect(minuteOfDay(at, tz)).toBe(minute);
  });
});
