use clap::Parser;

/// mimalloc rather than glibc's allocator: allocation was a tenth of the bot's CPU in the load
/// bench (BENCHMARKS.md, third round).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its number in `mi_option_e` of the mimalloc.h that
/// libmimalloc-sys builds; the crate names the options around it but not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Freed pages go back to the system at once instead of after 10 ms: 10,000 people
    // mid-booking peaked at 36 MB instead of 41 (BENCHMARKS.md, third round).
    // SAFETY: sets an integer option; mimalloc reads it at each purge, any time after start.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    let cli = okienko::cli::Cli::parse();
    match okienko::cli::main(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("okienko: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
