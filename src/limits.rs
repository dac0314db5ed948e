//! Every size, depth and count limit of certgate in one place, each with why its number. Input
//! past a limit is refused with a positioned error, or its value is reported unresolved naming
//! the limit, never a crash, a hang or a dropped resource (SPEC.md, "Values and budgets";
//! README, "The budget rule"). This module depends on nothing else in the crate.

// --- Files and streams ----------------------------------------------------------------------

/// The largest file certgate reads: 128 MiB. Real inputs are far smaller (Azure refuses
/// templates over 4 MB; the largest file the tests scan is a 50 MB `.tf`), and the bound keeps
/// a device like `/dev/zero`, or a runaway generated file, from exhausting memory.
pub const MAX_FILE_BYTES: u64 = 128 * 1024 * 1024;
/// How far into a file that failed to parse certgate looks for what it is (an ARM template's
/// `$schema`, a plan's `format_version` and `terraform_version`): these keys open the file, so
/// 4 KiB is plenty, and it keeps sniffing a broken 100 MiB file instant.
pub const SNIFF_BYTES: usize = 4096;
/// The largest language-server message body accepted: 64 MiB is far above any document an
/// editor sends and far below what a machine can allocate, so a bogus `Content-Length` is
/// refused before any memory is reserved for it.
pub const MAX_LSP_BODY: u64 = 64 << 20;
/// The longest language-server header line accepted: a real one (`Content-Length: 1234`) is
/// about 30 bytes; 8 KiB tolerates any client while a stream without line ends cannot grow
/// memory.
pub const MAX_LSP_HEADER_LINE: u64 = 8 << 10;
/// The stack of each scan worker: 16 MiB. In a debug build 64 levels of nested HCL `for` take
/// about 2.1 MiB, more than the 2 MiB a thread gets by default, and a Terraform evaluation may
/// already be [`MAX_TERRAFORM_STACK`] deep when it parses a template. It is address space, not
/// memory: a page is only touched when a parse really goes that deep.
pub const WORKER_STACK_SIZE: usize = 16 << 20;

// --- Parsing ---------------------------------------------------------------------------------

/// The most nested levels a `.tf` file may have before certgate refuses to parse it: hcl-edit's
/// own limit, counted before hcl-edit starts so that its recursion never runs out of stack.
pub const MAX_HCL_NESTING: usize = 64;
/// The most entries one object or block of a `.tf` file may have before certgate refuses to
/// parse it. hcl-edit 0.10 checks each new object key against every earlier one, so its time
/// grows with the square of the keys: about 0.5 s at this bound, 3 s at 32 000 keys and 100 s
/// at 100 000.
pub const MAX_HCL_OBJECT_ENTRIES: usize = 10_000;
/// Deepest nesting of strings and interpolations followed when reading exception comments in a
/// `.tf` file; beyond it the rest is skipped. The same as [`MAX_HCL_NESTING`]: a file nested
/// deeper is refused by the parser anyway.
pub const MAX_HCL_COMMENT_DEPTH: usize = 64;
/// Deepest object/array nesting followed when reading exception comments in a `.tf.json` file;
/// anything deeper is not read for exceptions. Real files nest a dozen levels; 128 keeps the
/// recursive walk far inside any thread's stack.
pub const MAX_JSON_COMMENT_DEPTH: usize = 128;
/// Deepest Bicep nesting before parsing stops with an error instead of risking the stack. Each
/// expression level (array, object, parentheses, interpolation hole, lambda or ternary branch,
/// prefix operator), type level and nested child resource counts one; a `[for …]` loop counts
/// two, its stack frames being the largest. 128 levels fit a 2 MiB thread in a debug build.
pub const MAX_BICEP_PARSE_DEPTH: usize = 128;
/// How deeply calls, arguments and index expressions may nest in one ARM expression. Real
/// expressions nest a handful of calls; 64 keeps the recursive parser far inside the stack.
pub const MAX_ARM_EXPR_DEPTH: usize = 64;

// --- Evaluation ------------------------------------------------------------------------------

/// Steps one value (and everything it refers to) may take. A real value takes well under a
/// thousand; a million is a fraction of a second even in a debug build, so a hostile doubling
/// chain ends quickly with that value unresolved.
pub const VALUE_STEPS: u64 = 1_000_000;
/// Steps all the values of one scenario may take together: sixteen values' worth, so a file
/// where every value is expensive still ends in seconds, while ordinary files never get near.
pub const TOTAL_STEPS: u64 = 16 * VALUE_STEPS;
/// How deeply a computed value may nest: far deeper than any real configuration, and shallow
/// enough that walking, comparing and dropping a value never exhausts a thread's stack.
pub const MAX_VALUE_DEPTH: usize = 256;
/// What one node of a computed value counts for in its size, besides its text: about what it
/// takes in memory. A step of the budget buys this many bytes, so copying a long string is paid
/// for like a long list.
pub const VALUE_NODE_BYTES: u64 = 16;
/// The largest computed value, in bytes of text (strings, keys) plus [`VALUE_NODE_BYTES`] per
/// node: 4 MiB, the size Azure allows a whole template, so no real value comes near, while a
/// doubling chain stops after about 22 doublings instead of exhausting memory.
pub const MAX_VALUE_BYTES: u64 = 4 << 20;
/// How deeply ARM evaluations may nest (expressions inside variables inside parameters …). Real
/// templates chain a few dozen levels at most; 200 levels of the ARM evaluator's frames stay
/// well inside a 2 MiB thread in a debug build.
pub const MAX_ARM_NESTING: usize = 200;
/// How deeply Bicep evaluations may nest. Each level costs a few stack frames, larger than
/// ARM's (access steps, lambdas, loops); 150 stays well inside a 2 MiB worker thread.
pub const MAX_BICEP_NESTING: usize = 150;
/// How deeply Terraform evaluations may nest (expressions inside expressions, through locals
/// and variables): as deep as ARM's, with [`MAX_TERRAFORM_STACK`] as the real safety net.
pub const MAX_TERRAFORM_NESTING: usize = 200;
/// Most stack one Terraform evaluation may use. Frames differ a lot between paths and builds (a
/// debug build spends up to 9 KiB per level through templates and locals, a release build a
/// tenth of that), so the stack itself is measured too: 1 MiB keeps evaluation well inside the
/// 2 MiB a thread gets by default.
pub const MAX_TERRAFORM_STACK: usize = 1 << 20;
/// Most origins kept on one Terraform value: enough to explain a finding (a few places a value
/// came through), bounded so that a huge expression does not carry thousands.
pub const MAX_TERRAFORM_ORIGINS: usize = 8;

// --- Expansion -------------------------------------------------------------------------------

/// Resource and module instances one ARM or Bicep scenario may walk (loops in loops of modules):
/// 25 times the 800 resources Azure accepts in one template, so no real scenario gets there,
/// while nested loops of modules cannot multiply without bound. Past it each declaration is
/// still reported once.
pub const MAX_INSTANCES: u64 = 20_000;
/// Most instances one Terraform `count` / `for_each` is expanded into; more are judged once.
/// Real configurations expand tens; 1000 bounds a `count = 1e9` without losing any site.
pub const MAX_TERRAFORM_INSTANCES: usize = 1000;
/// Most module instances one Terraform root's walk evaluates with their inputs. Modules that
/// each call the next twice make 2^depth instances; past this bound each module directory is
/// judged once more with unknown inputs, so every site is still reported.
pub const MAX_TERRAFORM_MODULE_INSTANCES: usize = 10_000;
/// ARM's largest `copy` count, which Bicep `for` loops compile to: Azure rejects more, so a
/// larger count is reported as invalid rather than expanded.
pub const MAX_COPY: usize = 800;
/// The largest count ARM's `range()` accepts (Azure's own limit for the function).
pub const MAX_ARM_RANGE: u32 = 10_000;

// --- Structure -------------------------------------------------------------------------------

/// Deepest chain of Terraform module calls followed from a root (and of local calls followed
/// when deciding which files matter). Real projects nest a few levels; 32 stops a cycle
/// through generated paths long before the walk gets expensive.
pub const MAX_TERRAFORM_MODULE_DEPTH: usize = 32;
/// Most Terragrunt configurations one unit reads (its `include`s, `read_terragrunt_config`
/// chains): real units read two or three; 16 stops a file reading itself long before it costs.
pub const MAX_TERRAGRUNT_INCLUDES: usize = 16;
/// Deepest chain of Bicep module calls followed from a root, for the same reason as
/// [`MAX_TERRAFORM_MODULE_DEPTH`].
pub const MAX_BICEP_MODULE_DEPTH: usize = 32;
/// Deepest chain of Bicep compile-time imports (`import … from 'f.bicep'`) followed from a
/// file, for the same reason as [`MAX_TERRAFORM_MODULE_DEPTH`]: real templates import one or
/// two files deep, and a generated chain must not overflow the stack.
pub const MAX_BICEP_IMPORT_DEPTH: usize = 32;
/// How deep a plan's `planned_values` modules may nest before the plan is refused. Terraform
/// has no limit, but no real configuration comes near it; 64 is twice the module depth
/// certgate follows in source and keeps the recursion bounded.
pub const MAX_PLAN_MODULE_DEPTH: usize = 64;
/// How deeply ARM deployments (inline or linked) may nest before the walk stops following
/// them: as deep as the module chains followed in Terraform and Bicep.
pub const MAX_ARM_DEPLOYMENT_DEPTH: usize = 32;
/// How many files one Bicep relevance question may visit before it answers "maybe" (true):
/// only a hostile web of cyclic modules gets there, and "maybe" just means parsing the file.
pub const MAX_BICEP_RELEVANCE_VISITS: usize = 10_000;
/// How many `extends` a Bicep parameter file may chain: real files use one or two; 8 bounds a
/// generated chain while never refusing a real one.
pub const MAX_BICEP_EXTENDS: usize = 8;
