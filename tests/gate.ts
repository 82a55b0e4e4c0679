/** A promise and the function that resolves it: an operation the test finishes when it wants. */
export function gate(): { promise: Promise<void>; open: () => void } {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    return { promise, open };
}
