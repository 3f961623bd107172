from kpi_cli.cli import main

raise SystemExit(main())
