export const x: bigint = 1n;
