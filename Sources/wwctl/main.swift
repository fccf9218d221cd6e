import WWCtl

await WWCtlMain.run()
