"""The year's documents the city office signs, from plain data (never from the register itself):

- kaigong.py   开工项目认定汇总表 per county (XLSX + PDF): which projects may start, which may not and why;
- tongbao.py   进度通报 and 检查验收结果通报 in GB/T 9704 layout (DOCX + PDF);
- fankui.py    反馈意见函 to a county listing its findings;
- duties.py    reporting duties: 信息月报 due days asked for, 迟报/漏报/错报 from received reports;
- official.py  the shared 公文 builder (red header, blank 文号 field, 署名, tables) for DOCX and PDF;
- cli.py       ``gaizao report kaigong|tongbao|results|feedback|duties``.

Inputs are the loaded policy, ledger ``Plan`` objects as of a date, findings and series rows: the register
(generator/register) passes them; the same functions serve the command line and, later, a web front end.
"""
