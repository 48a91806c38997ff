use clap::Parser;

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
