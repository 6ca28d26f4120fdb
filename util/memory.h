// Process-wide memory behaviour for the programs.
#pragma once

namespace ferry {

// Keeps freed memory in the heap for reuse instead of returning it to the system. oneDNN allocates and frees
// buffers of a few hundred KiB on every call; by default each is a fresh mapping whose pages the kernel must
// zero again, which costs a few percent of a training step. Peak memory is unchanged: what is kept is reused.
void retain_freed_memory();

}  // namespace ferry
