/**
 * The numbered steps of an end-to-end file share one Thunderbird launch and build on one another
 * (signed in at step 1, a switch flipped at step 3 and read back at step 4…). So that any step
 * still runs alone with mocha's `--grep` (while fixing it, say), a step first carries out the
 * earlier steps of its file that have not been tried in this launch, in order, as part of itself.
 * In a whole run every earlier step has been tried (passed or failed) and nothing is repeated; a
 * step whose earlier step failed runs on and fails or passes on its own.
 */

interface Step {
  title: string;
  body: () => Promise<void>;
  tried: boolean;
}

/** Declares one file's steps: `const step = inOrder(); step("1. …", async () => {…});` in a describe. */
export function inOrder(): (title: string, body: () => Promise<void>) => void {
  const steps: Step[] = [];
  return (title, body) => {
    const own: Step = { title, body, tried: false };
    const earlier = [...steps];
    steps.push(own);
    it(title, async function () {
      const missing = earlier.filter((step) => !step.tried);
      // Each earlier step carried out here gets the time it would have had on its own.
      this.timeout(this.timeout() * (1 + missing.length));
      for (const step of missing) {
        step.tried = true;
        await step.body().catch((error: Error) => {
          throw new Error(`step "${step.title}", run first because "${title}" builds on it, failed: ${error.message}`, { cause: error });
        });
      }
      own.tried = true;
      await body();
    });
  };
}
