// Placeholder until the database harness lands: nothing to start yet.
export default function setup(): void {}
