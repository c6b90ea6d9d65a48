/** Read cycles of the district (the schedule makes 20 a month), as select options. */
export const cycleOptions = Array.from({ length: 20 }, (_, i) => ({ value: String(i + 1), label: `Cycle ${i + 1}` }));
