#!/usr/bin/env bash
# 督办 离线安装 / 升级(不需要联网)。在解开的安装包文件夹中执行:
#   sudo ./install.sh                 安装到 /opt/duban 并启动 systemd 服务 duban
#   sudo ./install.sh --workers 4     服务进程数(默认 2)
#   ./install.sh --prefix DIR --no-systemd   装到别处、不装服务(不需要 root)
#   --demo                            新装时载入演示数据(默认不载入)
# 再次执行即为升级:先用旧程序备份,保留 DIR/data,换新程序,数据库在首次打开时自动升级。
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX=/opt/duban
DEMO=0
SYSTEMD=1
WORKERS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --workers) WORKERS="$2"; shift 2 ;;
    --demo) DEMO=1; shift ;;
    --no-systemd) SYSTEMD=0; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "未知参数:$1(见 ./install.sh --help)" >&2; exit 2 ;;
  esac
done
PREFIX="$(mkdir -p "$PREFIX" && cd "$PREFIX" && pwd)"
PY="${PYTHON:-python3}"
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1
step() { echo "==> $*"; }
is_root() { [ "$(id -u)" = 0 ]; }
use_systemd() { [ "$SYSTEMD" = 1 ] && [ -d /run/systemd/system ] && is_root; }

# 1. 系统软件包(安装包带了 debs/ 时)
if compgen -G "$HERE/debs/*.deb" >/dev/null; then
  if is_root; then
    step "安装系统软件包(debs/,已装的同版本会跳过)"
    dpkg -i --skip-same-version "$HERE"/debs/*.deb
  else
    echo "提示:debs/ 中的系统软件包需要 root 安装:sudo dpkg -i $HERE/debs/*.deb"
  fi
fi

# 2. Python 版本须与生成安装包的一致(wheel 是按版本准备的)
command -v "$PY" >/dev/null || { echo "找不到 $PY:请先安装 Python 3(debs/ 中带有 python3 和 python3-venv)。" >&2; exit 1; }
want="$(sed -n 's/.*"python_minor": *"\([0-9.]*\)".*/\1/p' "$HERE/bundle.json")"
have="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$want" != "$have" ]; then
  echo "本安装包是为 Python $want 准备的,而 $PY 是 Python $have。请用 PYTHON=/usr/bin/python$want ./install.sh。" >&2
  exit 1
fi

# 3. 升级时:先停服务,用旧程序备份一次
DB="$PREFIX/data/duban.db"
if [ -s "$DB" ] && [ -x "$PREFIX/bin/duban" ]; then
  if use_systemd && systemctl is-active --quiet duban; then step "停止服务 duban"; systemctl stop duban; fi
  step "升级前备份"
  "$PREFIX/bin/duban" backup
fi

# 4. 程序与虚拟环境
mkdir -p "$PREFIX/data" "$PREFIX/bin"
chmod 700 "$PREFIX/data"
if [ -d "$PREFIX/app" ]; then
  step "旧程序移到 $PREFIX/app.previous"
  rm -rf "$PREFIX/app.previous"
  mv "$PREFIX/app" "$PREFIX/app.previous"
fi
cp -a "$HERE/app" "$PREFIX/app"
if [ ! -x "$PREFIX/venv/bin/python" ]; then
  step "创建虚拟环境 $PREFIX/venv"
  "$PY" -m venv "$PREFIX/venv" || { echo "无法创建虚拟环境:请先安装 python3-venv(debs/ 中带有)。" >&2; exit 1; }
fi
step "安装 Python 依赖(离线,来自 wheels/)"
"$PREFIX/venv/bin/python" -m pip install -q --no-index --find-links "$HERE/wheels" -r "$PREFIX/app/requirements.txt"

# 5. 配置文件与命令 $PREFIX/bin/duban
if [ ! -f "$PREFIX/duban.env" ]; then
  cat > "$PREFIX/duban.env" <<ENV
# 督办的设置(systemd 服务和 $PREFIX/bin/duban 都读这里)
DUBAN_DB=$PREFIX/data/duban.db
DUBAN_DATA_DIR=$PREFIX/data/files
DUBAN_BACKUP_DIR=$PREFIX/data/backups
DUBAN_BACKUP_KEEP=14
DUBAN_WORKERS=$WORKERS
ENV
fi
cat > "$PREFIX/bin/duban" <<CMD
#!/bin/sh
# 督办命令行:读取 $PREFIX/duban.env 后执行 python -m duban
set -a; . "$PREFIX/duban.env"; set +a
export PYTHONPATH="$PREFIX/app"
exec "$PREFIX/venv/bin/python" -m duban "\$@"
CMD
chmod 755 "$PREFIX/bin/duban"

# 6. 数据库:新装则初始化;已有则打开一次(有待升级时自动先备份再升级)
if [ -s "$DB" ]; then
  step "检查并升级数据库"
  if ! "$PREFIX/bin/duban" status; then
    echo "数据库未能打开(原因见上),服务未启动。若是有意换回旧版本,请用升级前的备份恢复:" >&2
    echo "  $PREFIX/bin/duban restore $PREFIX/data/backups/duban-时间.tar.gz --yes" >&2
    exit 1
  fi
else
  step "初始化数据库"
  if [ "$DEMO" = 1 ]; then "$PREFIX/bin/duban" init; else "$PREFIX/bin/duban" init --no-demo; fi
fi

# 7. 服务
if use_systemd; then
  id duban >/dev/null 2>&1 || useradd --system --home-dir "$PREFIX" --shell /usr/sbin/nologin duban
  chown -R duban:duban "$PREFIX/data"
  sed "s#/opt/duban#$PREFIX#g" "$PREFIX/app/deploy/duban.service" > /etc/systemd/system/duban.service
  systemctl daemon-reload
  systemctl enable --quiet duban
  systemctl restart duban
  step "服务 duban 已启动:systemctl status duban 查看;日志 journalctl -u duban"
else
  echo "安装完成。启动:$PREFIX/bin/duban serve --workers $WORKERS"
  echo "(没有 systemd 或未以 root 执行,未安装服务;也可用 $PREFIX/venv/bin/streamlit run $PREFIX/app/app.py 单进程运行)"
fi
