import Glibc
import WWCtl

exit(await WWCtlMain.run())
