"""`followup kpi` as a ratio to a bare read, cold and warm (see ratios.py):

python benchmarks/ratio_kpi.py [--scales 10k,100k,200k] [--repeat 1]
"""

import sys

from ratios import main

if __name__ == "__main__":
    sys.exit(main(commands=("kpi",)))
