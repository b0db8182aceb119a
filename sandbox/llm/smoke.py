"""One completion from the embedded model in a child process, so a CPU the build does not suit is named plainly.

`make install` runs it (`python -m sandbox.llm.smoke`); `sandbox serve` explains a model server's crash with the
same words. A crash on an unsupported instruction kills the child with SIGILL, never the caller.
"""

from __future__ import annotations

import subprocess
import sys

from sandbox.llm.local_server import LocalModelError, explain_exit, gguf_path

_PROGRAM = """
import sys
from llama_cpp import Llama
llm = Llama(model_path=sys.argv[1], n_ctx=256, verbose=False)
out = llm.create_completion("The capital of France is", max_tokens=4, temperature=0)
print(repr(out["choices"][0]["text"]))
"""

def smoke_test(timeout: float = 120) -> str:
    """Run one short completion; return its text or raise LocalModelError saying what failed."""
    try:
        done = subprocess.run([sys.executable, "-c", _PROGRAM, str(gguf_path())], capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise LocalModelError(f"The embedded model gave no completion within {timeout:.0f} s.") from None
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise LocalModelError(f"The embedded model {explain_exit(done.returncode)}." + (f" ({tail})" if tail else ""))
    return done.stdout.strip()


def main() -> int:
    try:
        text = smoke_test()
    except LocalModelError as exc:
        print(f"Embedded model smoke test FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"Embedded model smoke test passed: one completion ({text}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
