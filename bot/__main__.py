"""`python -m bot`: run the Telegram bot."""

from bot.main import main

if __name__ == "__main__":
    main()
