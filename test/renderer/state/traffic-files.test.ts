/**
 * "Add logs" adds files up (renderer/components/TrafficPanel.tsx → renderer/state/traffic.ts
 * mergeLogFiles). A browser gives the base name only, and every flow-log blob is PT1H.json
 * (destinations.md §2.1), so a name says nothing of which file it is: dropping hour 11 after hour 10
 * must keep both (a name-keyed replace silently discarded hour 10). Only the same file added again
 * replaces itself. From the review of fb71013.
 */
import { describe, expect, it } from 'vitest';
import { mergeLogFiles } from '../../../renderer/state/traffic';

const hour10 = { name: 'PT1H.json', text: '{"records":[{"hour":10}]}' };
const hour11 = { name: 'PT1H.json', text: '{"records":[{"hour":11}]}' };

describe('mergeLogFiles', () => {
  it('keeps two different files of one name, the later one under a distinct name', () => {
    expect(mergeLogFiles([hour10], [hour11])).toEqual([hour10, { name: 'PT1H.json (2)', text: hour11.text }]);
  });

  it('keeps both when they arrive in one drop, and a third as (3)', () => {
    const hour12 = { name: 'PT1H.json', text: '{"records":[{"hour":12}]}' };
    expect(mergeLogFiles([], [hour10, hour11, hour12]).map((f) => f.name)).toEqual(['PT1H.json', 'PT1H.json (2)', 'PT1H.json (3)']);
  });

  it('the same file added again replaces itself (not counted twice), whatever its name', () => {
    const first = mergeLogFiles([], [hour10, hour11]);
    expect(mergeLogFiles(first, [hour10])).toEqual([{ name: 'PT1H.json (2)', text: hour11.text }, hour10]);
    expect(mergeLogFiles([hour10], [{ name: 'copy.json', text: hour10.text }])).toEqual([{ name: 'copy.json', text: hour10.text }]);
  });

  it('files of different names are all kept, in the order added', () => {
    const csv = { name: 'network-rule.csv', text: 'a,b\n1,2' };
    expect(mergeLogFiles([hour10], [csv])).toEqual([hour10, csv]);
  });
});
