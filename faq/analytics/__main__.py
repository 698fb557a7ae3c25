import sys

from faq.analytics.report_cli import main

sys.exit(main())
