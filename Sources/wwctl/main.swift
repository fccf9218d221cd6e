import Glibc
import WWCtl

exit(WWCtlMain.run())
