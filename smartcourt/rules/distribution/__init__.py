"""The order of payment out of a bankruptcy estate (EBL art. 41-43, 113): the calculator, and the public
endpoint over it."""
