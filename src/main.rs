use clap::Parser;

/// mimalloc rather than glibc's allocator: allocation was a tenth of the bot's CPU in the load
/// bench (BENCHMARKS.md, third round).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = okienko::cli::Cli::parse();
    match okienko::cli::main(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("okienko: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
