from followup_cli.cli import cli

if __name__ == "__main__":
    cli()
