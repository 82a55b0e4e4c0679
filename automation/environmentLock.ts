/**
 * One operation at a time per key, keys independent of each other: a queue per stack inside this
 * process. Pulumi locks a stack too, but only once the CLI runs; a second `up` on the same stack
 * would then fail with "another update is in progress" instead of waiting its turn. Queueing here
 * turns two clicks in a portal into two updates in order, and leaves other stacks free to run in
 * parallel.
 *
 * Why not a library such as async-mutex (0.5): it offers one mutex, with a `cancel()` that rejects
 * every waiter at once and no AbortSignal per waiter, no queue length and no count of who is ahead.
 * Here each key has its own FIFO queue, one waiter can give up (its signal) without letting the
 * next overtake the running operation, a full queue is refused at once (a portal's 429), and the
 * caller learns its place. A map of async-mutex instances would still need all of that around it.
 */

/** The queue of a key already holds `maxWaiting` operations behind the running one. */
export class LockQueueFullError extends Error {
    constructor(
        public readonly key: string,
        public readonly waiting: number,
    ) {
        super(`${waiting} operations already wait for ${key}`);
        this.name = "LockQueueFullError";
    }
}

export interface LockWaitOptions {
    /** Stops waiting (the task never runs) when aborted; the promise rejects with the signal's reason. */
    signal?: AbortSignal;
    /**
     * How many operations may wait on the key behind the one running; one more is refused with
     * LockQueueFullError at once, so a burst of requests cannot pile up work for hours.
     * @default Infinity
     */
    maxWaiting?: number;
    /** Called once, before waiting, when other operations on the key hold or wait for it. */
    onQueued?: (ahead: number) => void;
}

/** A queue per key: `run` waits for the operations queued before it on the same key, never for other keys. */
export class KeyedLock {
    /** Per key: a promise that settles when the last operation queued so far has finished. */
    private readonly tails = new Map<string, Promise<void>>();
    /** Per key: operations running or waiting. */
    private readonly counts = new Map<string, number>();

    /** Whether an operation holds `key` or waits for it. */
    isBusy(key: string): boolean {
        return (this.counts.get(key) ?? 0) > 0;
    }

    /**
     * Runs `task` once every operation queued before it on `key` has finished, whatever their
     * outcome. The place in the queue is taken synchronously, when `run` is called: call it before
     * any await, and operations run in the order they were asked for.
     */
    async run<T>(key: string, task: () => Promise<T>, options: LockWaitOptions = {}): Promise<T> {
        options.signal?.throwIfAborted();
        const previous = this.tails.get(key) ?? Promise.resolve();
        const ahead = this.counts.get(key) ?? 0;
        if (ahead > (options.maxWaiting ?? Infinity)) throw new LockQueueFullError(key, ahead - 1);
        let release!: () => void;
        const finished = new Promise<void>((resolve) => (release = resolve));
        // The next operation waits for this one and, through `previous`, for all before it: an
        // operation that gave up waiting must not let its successor overtake the one still running.
        const tail = previous.then(() => finished);
        this.tails.set(key, tail);
        this.counts.set(key, ahead + 1);
        try {
            if (ahead > 0) options.onQueued?.(ahead);
            await untilSettledOrAborted(previous, options.signal);
            return await task();
        } finally {
            release();
            const left = (this.counts.get(key) ?? 1) - 1;
            if (left > 0) {
                this.counts.set(key, left);
            } else {
                this.counts.delete(key);
                if (this.tails.get(key) === tail) this.tails.delete(key);
            }
        }
    }
}

function untilSettledOrAborted(waitFor: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
    if (!signal) return waitFor;
    return new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        if (signal.aborted) return onAbort();
        signal.addEventListener("abort", onAbort, { once: true });
        waitFor.then(() => {
            signal.removeEventListener("abort", onAbort);
            resolve();
        });
    });
}
