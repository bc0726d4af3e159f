"""A district workbook (示例数据) for any policy written (generator.ledger.district_sample makes its plan):

    python -m generator.render.district_sample mudanjiang/2022 东安区 data/mudanjiang-2022/ [--clean]
"""
from __future__ import annotations

import sys


def main(argv=None) -> int:
    from generator.policy import load_policy
    from generator.render.samples import write_district_sample
    args = list(sys.argv[1:] if argv is None else argv)
    plant = "--clean" not in args
    args = [a for a in args if a != "--clean"]
    if len(args) != 3:
        print("用法：python -m generator.render.district_sample REF 下级单位名称 输出文件夹 [--clean]", file=sys.stderr)
        return 2
    print(write_district_sample(load_policy(args[0]), args[1], args[2], plant=plant))
    return 0


if __name__ == "__main__":
    sys.exit(main())
